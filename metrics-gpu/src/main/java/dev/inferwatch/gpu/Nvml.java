package dev.inferwatch.gpu;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of NVIDIA's {@code libnvidia-ml} (NVML) the GPU module reads, bound through JNA.
 *
 * <p>Signatures, struct layouts and return codes follow {@code nvml.h}; every call returns an
 * {@code nvmlReturn_t}. Device handles ({@code nvmlDevice_t}) are opaque pointers. Loaded by {@link
 * NvmlLoader}; tests substitute a Java fake or a fake native library.
 *
 * <pre>{@code
 * Nvml nvml = NvmlLoader.load(null).nvml();
 * IntByReference count = new IntByReference();
 * if (nvml.nvmlInit_v2() == Nvml.SUCCESS && nvml.nvmlDeviceGetCount_v2(count) == Nvml.SUCCESS) {
 *   ...
 * }
 * }</pre>
 */
interface Nvml extends Library {

  int SUCCESS = 0;
  int ERROR_UNINITIALIZED = 1;
  int ERROR_INVALID_ARGUMENT = 2;
  int ERROR_NOT_SUPPORTED = 3;
  int ERROR_NO_PERMISSION = 4;
  int ERROR_NOT_FOUND = 6;
  int ERROR_INSUFFICIENT_SIZE = 7;
  int ERROR_DRIVER_NOT_LOADED = 9;
  int ERROR_FUNCTION_NOT_FOUND = 13;
  int ERROR_GPU_IS_LOST = 15;
  int ERROR_ARGUMENT_VERSION_MISMATCH = 25;
  int ERROR_UNKNOWN = 999;

  /** {@code NVML_TEMPERATURE_GPU}: the die sensor. */
  int TEMPERATURE_GPU = 0;

  /** {@code NVML_CLOCK_SM}. */
  int CLOCK_SM = 1;

  /** {@code NVML_DEVICE_NAME_V2_BUFFER_SIZE}, also enough for {@code _UUID_V2_} (96). */
  int DEVICE_STRING_BUFFER_SIZE = 96;

  /** {@code NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE}. */
  int DRIVER_VERSION_BUFFER_SIZE = 80;

  int nvmlInit_v2();

  int nvmlShutdown();

  String nvmlErrorString(int result);

  int nvmlSystemGetDriverVersion(byte[] version, int length);

  int nvmlDeviceGetCount_v2(IntByReference count);

  int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

  int nvmlDeviceGetName(Pointer device, byte[] name, int length);

  int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

  int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

  int nvmlDeviceGetMemoryInfo_v2(Pointer device, MemoryV2 memory);

  int nvmlDeviceGetMemoryInfo(Pointer device, MemoryV1 memory);

  int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference celsius);

  int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

  int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference millijoules);

  int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference megahertz);

  /** {@code nvmlUtilization_t}: percentages over the driver's last sample period. */
  @Structure.FieldOrder({"gpu", "memory"})
  final class Utilization extends Structure {
    public int gpu;
    public int memory;
  }

  /** {@code nvmlMemory_t} (v1): bytes. */
  @Structure.FieldOrder({"total", "free", "used"})
  final class MemoryV1 extends Structure {
    public long total;
    public long free;
    public long used;
  }

  /**
   * {@code nvmlMemory_v2_t}: bytes, {@code used} excluding the driver's reservation. The driver
   * rejects the struct unless {@code version} is {@code nvmlMemory_v2}.
   */
  @Structure.FieldOrder({"version", "total", "reserved", "free", "used"})
  final class MemoryV2 extends Structure {

    /**
     * {@code NVML_STRUCT_VERSION(Memory, 2)} = {@code sizeof(nvmlMemory_v2_t) | 2 << 24}: the int
     * is padded to 8 so that the four unsigned long longs align, 40 bytes in all.
     */
    static final int VERSION = 40 | (2 << 24);

    public int version = VERSION;
    public long total;
    public long reserved;
    public long free;
    public long used;
  }
}
