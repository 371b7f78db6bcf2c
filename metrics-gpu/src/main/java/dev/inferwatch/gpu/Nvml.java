package dev.inferwatch.gpu;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
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
  int ERROR_TIMEOUT = 10;
  int ERROR_FUNCTION_NOT_FOUND = 13;
  int ERROR_GPU_IS_LOST = 15;
  int ERROR_ARGUMENT_VERSION_MISMATCH = 25;
  int ERROR_UNKNOWN = 999;

  /** {@code NVML_TEMPERATURE_GPU}: the die sensor. */
  int TEMPERATURE_GPU = 0;

  /** {@code NVML_CLOCK_SM}. */
  int CLOCK_SM = 1;

  /** {@code NVML_CLOCK_MEM}. */
  int CLOCK_MEM = 2;

  /** {@code NVML_FI_DEV_MEMORY_TEMP}: the HBM sensor, read through field values. */
  int FI_DEV_MEMORY_TEMP = 82;

  /**
   * {@code NVML_MEMORY_ERROR_TYPE_CORRECTED} (single-bit) and {@code _UNCORRECTED} (double-bit).
   */
  int MEMORY_ERROR_TYPE_CORRECTED = 0;

  int MEMORY_ERROR_TYPE_UNCORRECTED = 1;

  /** {@code NVML_VOLATILE_ECC}: counts since the driver was loaded (dcgm's {@code *_VOL_TOTAL}). */
  int VOLATILE_ECC = 0;

  /** {@code NVML_PCIE_UTIL_TX_BYTES} and {@code _RX_BYTES}: KB/s. */
  int PCIE_UTIL_TX_BYTES = 0;

  int PCIE_UTIL_RX_BYTES = 1;

  /** {@code NVML_DEVICE_MIG_ENABLE}. */
  int DEVICE_MIG_ENABLE = 1;

  /** {@code nvmlEventTypeXidCriticalError}. */
  long EVENT_TYPE_XID_CRITICAL_ERROR = 0x8L;

  /** {@code NVML_VALUE_NOT_AVAILABLE} in an unsigned long long field (process memory on WDDM). */
  long VALUE_NOT_AVAILABLE = -1L;

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

  /** {@code utilization}: one {@code nvmlUtilization_t}, {@link Utilization#SIZE} bytes. */
  int nvmlDeviceGetUtilizationRates(Pointer device, Pointer utilization);

  /** {@code memory}: one {@code nvmlMemory_v2_t}, {@link MemoryV2#SIZE} bytes, version set. */
  int nvmlDeviceGetMemoryInfo_v2(Pointer device, Pointer memory);

  /** {@code memory}: one {@code nvmlMemory_t}, {@link MemoryV1#SIZE} bytes. */
  int nvmlDeviceGetMemoryInfo(Pointer device, Pointer memory);

  int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference celsius);

  int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

  int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference millijoules);

  int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference megahertz);

  /** CUDA version as {@code 1000 * major + 10 * minor}, read from libcuda (R450+). */
  int nvmlSystemGetCudaDriverVersion_v2(IntByReference version);

  /** The same from NVML's own table, for drivers without {@code _v2}. */
  int nvmlSystemGetCudaDriverVersion(IntByReference version);

  int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference milliwatts);

  /** {@code values}: {@code count} {@code nvmlFieldValue_t} of {@link FieldValue#SIZE} bytes. */
  int nvmlDeviceGetFieldValues(Pointer device, int count, Pointer values);

  /** R535 and later. */
  int nvmlDeviceGetCurrentClocksEventReasons(Pointer device, LongByReference reasons);

  /** The same bits under the name drivers before R535 export. */
  int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference reasons);

  int nvmlDeviceGetTotalEccErrors(
      Pointer device, int errorType, int counterType, LongByReference count);

  int nvmlDeviceGetRemappedRows(
      Pointer device,
      IntByReference correctable,
      IntByReference uncorrectable,
      IntByReference pending,
      IntByReference failed);

  int nvmlDeviceGetPcieReplayCounter(Pointer device, IntByReference value);

  /** Sampled by the driver over 20 ms: the call blocks that long on real hardware. */
  int nvmlDeviceGetPcieThroughput(Pointer device, int counter, IntByReference kilobytesPerSecond);

  /**
   * {@code count} in: capacity of {@code infos} ({@link ProcessInfo#SIZE} bytes each); out: the
   * processes there are ({@code INSUFFICIENT_SIZE} when more than the capacity).
   */
  int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference count, Pointer infos);

  /** The same layout under the name drivers before R510 export. */
  int nvmlDeviceGetComputeRunningProcesses_v2(Pointer device, IntByReference count, Pointer infos);

  int nvmlDeviceGetMigMode(Pointer device, IntByReference current, IntByReference pending);

  int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count);

  int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference mig);

  int nvmlDeviceGetGpuInstanceId(Pointer device, IntByReference id);

  int nvmlEventSetCreate(PointerByReference set);

  int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

  /** {@code data}: one {@code nvmlEventData_t} of {@link EventData#SIZE} bytes. */
  int nvmlEventSetWait_v2(Pointer set, Pointer data, int timeoutMillis);

  /** The same for drivers before R450 (their struct is a prefix of the new one). */
  int nvmlEventSetWait(Pointer set, Pointer data, int timeoutMillis);

  int nvmlEventSetFree(Pointer set);

  /*
   * The structs are read and written at fixed offsets in native memory rather than as JNA
   * Structures: a Structure reflects over its fields on every call, which costs more than the call
   * itself, and a poll makes some twenty calls per device.
   */

  /** {@code nvmlUtilization_t}: percentages over the driver's last sample period. */
  final class Utilization {
    static final int SIZE = 8;
    static final int GPU = 0;
    static final int MEMORY = 4;

    private Utilization() {}
  }

  /** {@code nvmlMemory_t} (v1): bytes; {@code used} includes the driver's reservation. */
  final class MemoryV1 {
    static final int SIZE = 24;
    static final int TOTAL = 0;
    static final int FREE = 8;
    static final int USED = 16;

    private MemoryV1() {}
  }

  /**
   * {@code nvmlMemory_v2_t}: bytes, {@code used} excluding the driver's reservation. The driver
   * rejects the struct unless its first word is {@link #VERSION_2}.
   */
  final class MemoryV2 {
    /**
     * {@code NVML_STRUCT_VERSION(Memory, 2)} = {@code sizeof(nvmlMemory_v2_t) | 2 << 24}: the int
     * is padded to 8 so that the four unsigned long longs align, 40 bytes in all.
     */
    static final int VERSION_2 = 40 | (2 << 24);

    static final int SIZE = 40;
    static final int VERSION = 0;
    static final int TOTAL = 8;
    static final int RESERVED = 16;
    static final int FREE = 24;
    static final int USED = 32;

    private MemoryV2() {}
  }

  /**
   * {@code nvmlFieldValue_t}: field id and scope in, timestamp, latency, value type, the field's
   * own return code and the value union out.
   */
  final class FieldValue {
    static final int SIZE = 40;
    static final int FIELD_ID = 0;
    static final int VALUE_TYPE = 24;
    static final int RETURN = 28;
    static final int VALUE = 32;

    /** {@code nvmlValueType_t}. */
    static final int DOUBLE = 0;

    static final int UNSIGNED_INT = 1;
    static final int SIGNED_INT = 5;
    static final int UNSIGNED_SHORT = 6;

    private FieldValue() {}

    /** The union {@code nvmlValue_t} at {@code offset} as a double, by its {@code type}. */
    static double decode(Pointer memory, long offset, int type) {
      switch (type) {
        case DOUBLE:
          return memory.getDouble(offset);
        case UNSIGNED_INT:
          return Integer.toUnsignedLong(memory.getInt(offset));
        case SIGNED_INT:
          return memory.getInt(offset);
        case UNSIGNED_SHORT:
          return Short.toUnsignedInt(memory.getShort(offset));
        default:
          return memory.getLong(offset);
      }
    }
  }

  /** {@code nvmlProcessInfo_t} (v2 and v3): pid, used memory, GPU and compute instance ids. */
  final class ProcessInfo {
    static final int SIZE = 24;
    static final int PID = 0;
    static final int USED_MEMORY = 8;

    private ProcessInfo() {}
  }

  /** {@code nvmlEventData_t}: device handle, event type, XID, GPU and compute instance ids. */
  final class EventData {
    static final int SIZE = 32;
    static final int DEVICE = 0;
    static final int TYPE = 8;
    static final int DATA = 16;
    static final int GPU_INSTANCE = 24;

    private EventData() {}
  }
}
