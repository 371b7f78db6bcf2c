package dev.inferwatch.gpu;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The everyday readings of a GPU: utilization, memory, temperatures (die, and HBM through field
 * values), power and its enforced limit, energy, SM and memory clocks.
 *
 * <p>Not thread-safe: the native out-parameters are allocated once and reused by the poller thread.
 *
 * <pre>{@code
 * DeviceReadings basic = new DeviceReadings(calls);
 * basic.read(device, builder);
 * GpuReading.Memory memory = basic.memory(migInstance);
 * }</pre>
 */
final class DeviceReadings {

  private static final Logger log = LoggerFactory.getLogger(DeviceReadings.class);

  private final NvmlCalls calls;
  private final Nvml nvml;
  private final IntByReference intOut = new IntByReference();
  private final LongByReference longOut = new LongByReference();
  private final Memory utilization = new Memory(Nvml.Utilization.SIZE);
  private final Memory memoryV2 = new Memory(Nvml.MemoryV2.SIZE);
  private final Memory memoryV1 = new Memory(Nvml.MemoryV1.SIZE);
  private final Memory field = new Memory(Nvml.FieldValue.SIZE);
  private boolean memoryV2Callable = true;

  DeviceReadings(NvmlCalls calls) {
    this.calls = calls;
    this.nvml = calls.nvml;
    // Native memory comes uninitialised; the scope id (and the rest) must read 0.
    field.clear();
  }

  /** Fills the everyday readings of {@code d} into {@code out}. */
  void read(NvmlDevice d, GpuReading.Builder out) {
    Pointer h = d.handle;
    if (calls.call(
        d,
        NvmlDevice.UTILIZATION,
        "nvmlDeviceGetUtilizationRates",
        () -> nvml.nvmlDeviceGetUtilizationRates(h, utilization))) {
      out.utilizationRatio = unsigned(utilization, Nvml.Utilization.GPU) / 100.0;
      out.memoryCopyUtilizationRatio = unsigned(utilization, Nvml.Utilization.MEMORY) / 100.0;
    }
    out.memory = memory(d);
    if (calls.call(
        d,
        NvmlDevice.TEMPERATURE,
        "nvmlDeviceGetTemperature",
        () -> nvml.nvmlDeviceGetTemperature(h, Nvml.TEMPERATURE_GPU, intOut))) {
      out.temperatureCelsius = (double) Integer.toUnsignedLong(intOut.getValue());
    }
    out.memoryTemperatureCelsius = memoryTemperature(d);
    if (calls.call(
        d,
        NvmlDevice.POWER,
        "nvmlDeviceGetPowerUsage",
        () -> nvml.nvmlDeviceGetPowerUsage(h, intOut))) {
      out.powerWatts = Integer.toUnsignedLong(intOut.getValue()) / 1000.0;
    }
    if (calls.call(
        d,
        NvmlDevice.POWER_LIMIT,
        "nvmlDeviceGetEnforcedPowerLimit",
        () -> nvml.nvmlDeviceGetEnforcedPowerLimit(h, intOut))) {
      out.powerLimitWatts = Integer.toUnsignedLong(intOut.getValue()) / 1000.0;
    }
    if (calls.call(
        d,
        NvmlDevice.ENERGY,
        "nvmlDeviceGetTotalEnergyConsumption",
        () -> nvml.nvmlDeviceGetTotalEnergyConsumption(h, longOut))) {
      out.energyJoules = longOut.getValue() / 1000.0;
    }
    out.smClockHertz = clock(d, NvmlDevice.SM_CLOCK, Nvml.CLOCK_SM);
    out.memoryClockHertz = clock(d, NvmlDevice.MEMORY_CLOCK, Nvml.CLOCK_MEM);
  }

  /**
   * Memory of a GPU or MIG instance through {@code nvmlDeviceGetMemoryInfo_v2}; on drivers without
   * it (or that reject the struct version) through v1 from then on, which has no reserved part and
   * counts the reservation as used.
   */
  GpuReading.Memory memory(NvmlDevice d) {
    Pointer h = d.handle;
    if (memoryV2Callable && !d.skips(NvmlDevice.MEMORY)) {
      memoryV2.setInt(Nvml.MemoryV2.VERSION, Nvml.MemoryV2.VERSION_2);
      int rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetMemoryInfo_v2(h, memoryV2));
      if (rc == Nvml.ERROR_FUNCTION_NOT_FOUND || rc == Nvml.ERROR_ARGUMENT_VERSION_MISMATCH) {
        memoryV2Callable = false;
        log.info("NVML has no nvmlDeviceGetMemoryInfo_v2 ({}); using nvmlDeviceGetMemoryInfo", rc);
      } else if (calls.classify(d, NvmlDevice.MEMORY, "nvmlDeviceGetMemoryInfo_v2", rc)) {
        return new GpuReading.Memory(
            memoryV2.getLong(Nvml.MemoryV2.USED),
            memoryV2.getLong(Nvml.MemoryV2.FREE),
            memoryV2.getLong(Nvml.MemoryV2.RESERVED),
            memoryV2.getLong(Nvml.MemoryV2.TOTAL),
            null);
      }
    }
    if (!memoryV2Callable
        && calls.call(
            d,
            NvmlDevice.MEMORY,
            "nvmlDeviceGetMemoryInfo",
            () -> nvml.nvmlDeviceGetMemoryInfo(h, memoryV1))) {
      return new GpuReading.Memory(
          memoryV1.getLong(Nvml.MemoryV1.USED),
          memoryV1.getLong(Nvml.MemoryV1.FREE),
          null,
          memoryV1.getLong(Nvml.MemoryV1.TOTAL),
          null);
    }
    return GpuReading.Memory.ABSENT;
  }

  /** HBM temperature: a field value, whose own return code says whether the device has it. */
  private Double memoryTemperature(NvmlDevice d) {
    Pointer h = d.handle;
    field.setInt(Nvml.FieldValue.FIELD_ID, Nvml.FI_DEV_MEMORY_TEMP);
    field.setInt(Nvml.FieldValue.RETURN, Nvml.ERROR_UNKNOWN);
    if (!calls.call(
        d,
        NvmlDevice.MEMORY_TEMPERATURE,
        "nvmlDeviceGetFieldValues",
        () -> nvml.nvmlDeviceGetFieldValues(h, 1, field))) {
      return null;
    }
    if (!calls.classify(
        d,
        NvmlDevice.MEMORY_TEMPERATURE,
        "nvmlDeviceGetFieldValues",
        field.getInt(Nvml.FieldValue.RETURN))) {
      return null;
    }
    return Nvml.FieldValue.decode(
        field, Nvml.FieldValue.VALUE, field.getInt(Nvml.FieldValue.VALUE_TYPE));
  }

  private static long unsigned(Memory memory, long offset) {
    return Integer.toUnsignedLong(memory.getInt(offset));
  }

  private Double clock(NvmlDevice d, int bit, int type) {
    Pointer h = d.handle;
    if (calls.call(
        d, bit, "nvmlDeviceGetClockInfo", () -> nvml.nvmlDeviceGetClockInfo(h, type, intOut))) {
      return Integer.toUnsignedLong(intOut.getValue()) * 1e6;
    }
    return null;
  }
}
