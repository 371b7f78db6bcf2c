package dev.inferwatch.gpu;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The GPU families of shared/METRICS.md: callbacks over the latest {@link GpuSnapshot}, so a scrape
 * reads memory and never calls NVML, plus the poll's own counter and histogram.
 *
 * <pre>{@code
 * GpuMetrics metrics = new GpuMetrics(iw, poller::snapshot);
 * metrics.observePoll(seconds);
 * }</pre>
 */
final class GpuMetrics {

  /** One poll of every device: tens of µs through JNA, up to ~100 ms on a busy driver. */
  static final double[] POLL_SECONDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1
  };

  private final Supplier<GpuSnapshot> snapshot;
  private final Labels constLabels;
  private final Inferwatch iw;
  private final Counter errors;
  private final Histogram pollDuration;
  private final Info info;

  GpuMetrics(Inferwatch iw, Supplier<GpuSnapshot> snapshot) {
    this.iw = iw;
    this.snapshot = snapshot;
    this.constLabels = constLabels(iw);
    PrometheusRegistry registry = iw.registry();
    GaugeWithCallback.builder()
        .name(iw.metricName("gpu_nvml_up"))
        .help("Whether NVML is loaded and initialised (0 without an NVIDIA driver)")
        .constLabels(constLabels)
        .callback(cb -> cb.call(snapshot.get().up() ? 1 : 0))
        .register(registry);
    this.info =
        Info.builder()
            .name(iw.metricName("gpu_info"))
            .help("GPU identity: index, UUID, product name and driver version")
            .labelNames("gpu", "uuid", "name", "driver_version")
            .constLabels(constLabels)
            .register(registry);
    gauge(
        "gpu_utilization_ratio",
        "Share of time a kernel ran on the GPU",
        GpuReading::utilizationRatio);
    gauge(
        "gpu_memory_utilization_ratio",
        "Share of time device memory was read or written",
        GpuReading::memoryUtilizationRatio);
    gauge("gpu_memory_used_bytes", "Allocated device memory", GpuReading::memoryUsedBytes);
    gauge("gpu_memory_total_bytes", "Installed device memory", GpuReading::memoryTotalBytes);
    gauge("gpu_temperature_celsius", "GPU die temperature", GpuReading::temperatureCelsius);
    gauge("gpu_power_watts", "Board power draw", GpuReading::powerWatts);
    gauge("gpu_sm_clock_hertz", "Current SM clock", GpuReading::smClockHertz);
    CounterWithCallback.builder()
        .name(iw.metricName("gpu_energy_joules_total"))
        .help("Energy used by the GPU since the driver was loaded")
        .labelNames("gpu", "uuid")
        .constLabels(constLabels)
        .callback(
            cb -> {
              for (GpuReading device : snapshot.get().devices()) {
                if (device.energyJoules() != null) {
                  cb.call(device.energyJoules(), label(device.index()), label(device.uuid()));
                }
              }
            })
        .register(registry);
    this.errors =
        Counter.builder()
            .name(iw.metricName("gpu_nvml_errors_total"))
            .help("Failed NVML calls, by function (unsupported fields are not failures)")
            .labelNames("call")
            .constLabels(constLabels)
            .register(registry);
    this.pollDuration =
        Histogram.builder()
            .name(iw.metricName("gpu_poll_duration_seconds"))
            .help("Duration of one poll of every GPU through NVML")
            .classicUpperBounds(POLL_SECONDS)
            .constLabels(constLabels)
            .register(registry);
  }

  /** Counts a failed NVML call; {@code function} is one of the bound names, so bounded. */
  void recordError(String function) {
    try {
      errors.labelValues(function).inc();
    } catch (RuntimeException e) {
      iw.internalErrors().record("gpu.errors", e);
    }
  }

  /** Records how long one poll took. */
  void observePoll(double seconds) {
    pollDuration.observe(seconds);
  }

  /** Publishes {@code gpu_info} for the devices found at NVML init. */
  void identify(String driverVersion, List<GpuReading> devices) {
    for (GpuReading device : devices) {
      info.addLabelValues(
          label(device.index()), label(device.uuid()), label(device.name()), label(driverVersion));
    }
  }

  private void gauge(String base, String help, Function<GpuReading, Number> field) {
    GaugeWithCallback.builder()
        .name(iw.metricName(base))
        .help(help)
        .labelNames("gpu", "uuid")
        .constLabels(constLabels)
        .callback(
            cb -> {
              for (GpuReading device : snapshot.get().devices()) {
                Number value = field.apply(device);
                if (value != null) {
                  cb.call(value.doubleValue(), label(device.index()), label(device.uuid()));
                }
              }
            })
        .register(iw.registry());
  }

  private static String label(int index) {
    return Integer.toString(index);
  }

  private static String label(String value) {
    return value == null ? "unknown" : value;
  }

  private static Labels constLabels(Inferwatch iw) {
    Labels labels = Labels.EMPTY;
    if (iw.service() != null) {
      labels = labels.add("service", iw.service());
    }
    if (iw.environment() != null) {
      labels = labels.add("env", iw.environment());
    }
    return labels;
  }
}
