package dev.inferwatch.gpu;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * Polls the machine's real GPUs once through the module and prints one CSV row per device in the
 * units and column order of {@code nvidia-smi --query-gpu=index,uuid,utilization.gpu,memory.used,
 * memory.total,temperature.gpu,power.draw,clocks.sm --format=csv,noheader,nounits}; run by {@code
 * scripts/verify-real-gpu.sh}, which compares the two.
 */
public final class RealGpuCheck {

  private static final double MIB = 1024.0 * 1024.0;

  private RealGpuCheck() {}

  /** Exit status 2 when NVML is not up, with the reason on stderr. */
  public static void main(String[] args) throws Exception {
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
      GpuSnapshot snapshot = module.snapshot();
      if (!snapshot.up()) {
        System.err.println("NVML not up: " + snapshot.nvmlError());
        System.exit(2);
      }
      System.err.println("driver " + snapshot.driverVersion() + ", status " + module.status());
      for (GpuReading gpu : snapshot.devices()) {
        System.out.println(
            String.join(
                ", ",
                Integer.toString(gpu.index()),
                String.valueOf(gpu.uuid()),
                format(gpu.utilizationRatio(), 100),
                format(gpu.memoryUsedBytes(), 1 / MIB),
                format(gpu.memoryTotalBytes(), 1 / MIB),
                format(gpu.temperatureCelsius(), 1),
                format(gpu.powerWatts(), 1),
                format(gpu.smClockHertz(), 1e-6),
                format(gpu.energyJoules(), 1)));
      }
    }
  }

  private static String format(Number value, double scale) {
    return value == null ? "N/A" : String.format(Locale.ROOT, "%.2f", value.doubleValue() * scale);
  }
}
