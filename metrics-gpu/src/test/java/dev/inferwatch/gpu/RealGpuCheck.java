package dev.inferwatch.gpu;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * Polls the machine's real GPUs once through the module and prints every reading as {@code
 * gpu<TAB>field<TAB>value}, fields named and scaled as {@code nvidia-smi --query-gpu} names them
 * ({@code N/A} when absent); run by {@code scripts/verify-real-gpu.sh}, which compares the two.
 *
 * <p>Before polling it opens a CUDA context on every GPU through the driver's {@code libcuda} and
 * allocates {@value #ALLOCATION_MIB} MiB there, so that this process appears in {@code nvidia-smi
 * --query-compute-apps} and the per-process memory can be compared; without libcuda that row is
 * skipped.
 */
public final class RealGpuCheck {

  static final int ALLOCATION_MIB = 256;
  private static final double MIB = 1024.0 * 1024.0;

  private RealGpuCheck() {}

  /** The part of the CUDA driver API that makes this process hold device memory. */
  interface Cuda extends Library {
    int cuInit(int flags);

    int cuDeviceGetCount(IntByReference count);

    int cuDeviceGet(IntByReference device, int ordinal);

    int cuCtxCreate_v2(PointerByReference context, int flags, int device);

    int cuMemAlloc_v2(LongByReference pointer, long bytes);
  }

  /** Exit status 2 when NVML is not up, with the reason on stderr. */
  public static void main(String[] args) throws Exception {
    System.out.println("-\tcuda_context\t" + holdDeviceMemory());
    GpuModule module =
        GpuModule.builder()
            .settings(Settings.fromEnvironment())
            .interval(Duration.ofHours(1))
            .build();
    try (Inferwatch iw =
        Inferwatch.builder()
            .registry(new PrometheusRegistry())
            .jvmMetrics(false)
            .discoverModules(false)
            .module(module)
            .build()) {
      GpuPoller poller = module.poller();
      if (poller == null || !poller.awaitFirstPoll(Duration.ofSeconds(60))) {
        System.err.println("NVML not up: " + module.status());
        System.exit(2);
      }
      long start = System.nanoTime();
      poller.poll();
      double pollMillis = (System.nanoTime() - start) / 1e6;
      GpuSnapshot snapshot = module.snapshot();
      if (!snapshot.up()) {
        System.err.println("NVML not up: " + snapshot.nvmlError());
        System.exit(2);
      }
      System.err.println("status " + module.status());
      print("-", "driver_version", snapshot.driverVersion());
      print("-", "cuda_version", snapshot.cudaVersion());
      print("-", "pid", ProcessHandle.current().pid());
      print("-", "xid_watch", poller.xids() != null ? "on" : "off");
      print("-", "poll_ms", String.format(Locale.ROOT, "%.1f", pollMillis));
      for (GpuReading gpu : snapshot.devices()) {
        print(gpu, snapshot);
      }
    }
  }

  private static void print(GpuReading gpu, GpuSnapshot snapshot) {
    String g = gpu.label();
    print(g, "uuid", gpu.uuid());
    print(g, "name", gpu.name());
    print(g, "mig.mode.current", gpu.migMode());
    print(g, "utilization.gpu", scaled(gpu.utilizationRatio(), 100));
    print(g, "utilization.memory", scaled(gpu.memoryCopyUtilizationRatio(), 100));
    memory(g, gpu.memory());
    print(g, "temperature.gpu", scaled(gpu.temperatureCelsius(), 1));
    print(g, "temperature.memory", scaled(gpu.memoryTemperatureCelsius(), 1));
    print(g, "power.draw", scaled(gpu.powerWatts(), 1));
    print(g, "enforced.power.limit", scaled(gpu.powerLimitWatts(), 1));
    print(g, "clocks.sm", scaled(gpu.smClockHertz(), 1e-6));
    print(g, "clocks.mem", scaled(gpu.memoryClockHertz(), 1e-6));
    print(g, "clocks_event_reasons.active", gpu.clockEventReasons());
    print(g, "ecc.errors.corrected.volatile.total", gpu.eccCorrected());
    print(g, "ecc.errors.uncorrected.volatile.total", gpu.eccUncorrected());
    GpuReading.RemappedRows rows = gpu.remappedRows();
    print(g, "remapped_rows.correctable", rows == null ? null : rows.correctable());
    print(g, "remapped_rows.uncorrectable", rows == null ? null : rows.uncorrectable());
    print(g, "remapped_rows.pending", rows == null ? null : rows.pending() ? 1 : 0);
    print(g, "remapped_rows.failure", rows == null ? null : rows.failed() ? 1 : 0);
    print(g, "pcie.rx_mbps", scaled(gpu.pcieRxBytesPerSecond(), 1 / MIB));
    print(g, "pcie.tx_mbps", scaled(gpu.pcieTxBytesPerSecond(), 1 / MIB));
    print(g, "pcie.replays", gpu.pcieReplays());
    print(g, "energy.joules", scaled(gpu.energyJoules(), 1));
    print(g, "xid.errors", gpu.xidErrors());
    for (GpuReading.Instance instance : gpu.instances()) {
      print(instance.label(), "uuid", instance.uuid());
      memory(instance.label(), instance.memory());
    }
  }

  private static void memory(String g, GpuReading.Memory memory) {
    print(g, "memory.used", scaled(memory.usedBytes(), 1 / MIB));
    print(g, "memory.free", scaled(memory.freeBytes(), 1 / MIB));
    print(g, "memory.reserved", scaled(memory.reservedBytes(), 1 / MIB));
    print(g, "memory.total", scaled(memory.totalBytes(), 1 / MIB));
    print(g, "process.used_memory", scaled(memory.processUsedBytes(), 1 / MIB));
  }

  /**
   * Opens a context and allocates on every CUDA device; "yes", or why not. The context lives until
   * the JVM exits, which is what the comparison needs.
   */
  private static String holdDeviceMemory() {
    Cuda cuda;
    try {
      cuda = Native.load("cuda", Cuda.class);
    } catch (UnsatisfiedLinkError e) {
      return "no (libcuda not found)";
    }
    int rc = cuda.cuInit(0);
    IntByReference count = new IntByReference();
    if (rc != 0 || cuda.cuDeviceGetCount(count) != 0) {
      return "no (cuInit " + rc + ")";
    }
    for (int i = 0; i < count.getValue(); i++) {
      IntByReference device = new IntByReference();
      PointerByReference context = new PointerByReference();
      LongByReference pointer = new LongByReference();
      if (cuda.cuDeviceGet(device, i) != 0
          || cuda.cuCtxCreate_v2(context, 0, device.getValue()) != 0
          || cuda.cuMemAlloc_v2(pointer, (long) ALLOCATION_MIB << 20) != 0) {
        return "no (context or allocation failed on CUDA device " + i + ")";
      }
    }
    return "yes";
  }

  private static void print(String gpu, String field, Object value) {
    String text = value == null ? "N/A" : value.toString();
    System.out.println(gpu + "\t" + field + "\t" + text);
  }

  private static String scaled(Number value, double scale) {
    return value == null ? null : String.format(Locale.ROOT, "%.2f", value.doubleValue() * scale);
  }
}
