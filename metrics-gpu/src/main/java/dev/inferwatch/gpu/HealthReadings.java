package dev.inferwatch.gpu;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * The readings operators page on: clock event reasons (throttling), volatile ECC error totals, the
 * row remapper, PCIe replays and throughput.
 *
 * <p>Not thread-safe: the native out-parameters are allocated once and reused by the poller thread.
 * Drivers before R535 export the clock event reasons as {@code ...ThrottleReasons}; the first
 * missing symbol switches to that name for every device.
 *
 * <pre>{@code
 * new HealthReadings(calls).read(device, builder);
 * }</pre>
 */
final class HealthReadings {

  private static final String REASONS = "nvmlDeviceGetCurrentClocksEventReasons";
  private static final String THROTTLE = "nvmlDeviceGetCurrentClocksThrottleReasons";
  private static final String ECC = "nvmlDeviceGetTotalEccErrors";
  private static final String THROUGHPUT = "nvmlDeviceGetPcieThroughput";

  private final NvmlCalls calls;
  private final Nvml nvml;
  private final IntByReference intOut = new IntByReference();
  private final LongByReference longOut = new LongByReference();
  private final IntByReference correctable = new IntByReference();
  private final IntByReference uncorrectable = new IntByReference();
  private final IntByReference pending = new IntByReference();
  private final IntByReference failed = new IntByReference();
  private boolean throttleName;

  HealthReadings(NvmlCalls calls) {
    this.calls = calls;
    this.nvml = calls.nvml;
  }

  /** Fills the health readings of {@code d} into {@code out}. */
  void read(NvmlDevice d, GpuReading.Builder out) {
    Pointer h = d.handle;
    out.clockEventReasons = clockEventReasons(d);
    out.eccCorrected = ecc(d, NvmlDevice.ECC_CORRECTED, Nvml.MEMORY_ERROR_TYPE_CORRECTED);
    out.eccUncorrected = ecc(d, NvmlDevice.ECC_UNCORRECTED, Nvml.MEMORY_ERROR_TYPE_UNCORRECTED);
    if (calls.call(
        d,
        NvmlDevice.REMAPPED_ROWS,
        "nvmlDeviceGetRemappedRows",
        () -> nvml.nvmlDeviceGetRemappedRows(h, correctable, uncorrectable, pending, failed))) {
      out.remappedRows =
          new GpuReading.RemappedRows(
              Integer.toUnsignedLong(correctable.getValue()),
              Integer.toUnsignedLong(uncorrectable.getValue()),
              pending.getValue() != 0,
              failed.getValue() != 0);
    }
    if (calls.call(
        d,
        NvmlDevice.PCIE_REPLAYS,
        "nvmlDeviceGetPcieReplayCounter",
        () -> nvml.nvmlDeviceGetPcieReplayCounter(h, intOut))) {
      out.pcieReplays = Integer.toUnsignedLong(intOut.getValue());
    }
    out.pcieTxBytesPerSecond = throughput(d, NvmlDevice.PCIE_TX, Nvml.PCIE_UTIL_TX_BYTES);
    out.pcieRxBytesPerSecond = throughput(d, NvmlDevice.PCIE_RX, Nvml.PCIE_UTIL_RX_BYTES);
  }

  private Long clockEventReasons(NvmlDevice d) {
    if (d.skips(NvmlDevice.CLOCK_REASONS)) {
      return null;
    }
    Pointer h = d.handle;
    int rc = Nvml.ERROR_FUNCTION_NOT_FOUND;
    if (!throttleName) {
      rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetCurrentClocksEventReasons(h, longOut));
      throttleName = rc == Nvml.ERROR_FUNCTION_NOT_FOUND;
    }
    if (throttleName) {
      rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetCurrentClocksThrottleReasons(h, longOut));
    }
    return calls.classify(d, NvmlDevice.CLOCK_REASONS, throttleName ? THROTTLE : REASONS, rc)
        ? longOut.getValue()
        : null;
  }

  private Long ecc(NvmlDevice d, int bit, int type) {
    Pointer h = d.handle;
    if (calls.call(
        d, bit, ECC, () -> nvml.nvmlDeviceGetTotalEccErrors(h, type, Nvml.VOLATILE_ECC, longOut))) {
      return longOut.getValue();
    }
    return null;
  }

  private Double throughput(NvmlDevice d, int bit, int counter) {
    Pointer h = d.handle;
    if (calls.call(
        d, bit, THROUGHPUT, () -> nvml.nvmlDeviceGetPcieThroughput(h, counter, intOut))) {
      return Integer.toUnsignedLong(intOut.getValue()) * 1024.0;
    }
    return null;
  }
}
