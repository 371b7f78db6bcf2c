package dev.inferwatch.gpu;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.LabelGuard;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The GPU families of shared/METRICS.md: callbacks over the latest {@link GpuSnapshot}, so a scrape
 * reads memory and never calls NVML, plus the counters the poller and the XID thread write (NVML
 * errors, poll duration, XID errors). The health families live in {@link GpuHealthMetrics}.
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

  /**
   * Distinct {@code xid} label values: NVIDIA documents about 150 XIDs and a machine sees a
   * handful; a driver bug or a flood of unknown codes folds into {@code __overflow__} past this.
   */
  static final int XID_VALUES = 64;

  private final Supplier<GpuSnapshot> snapshot;
  private final Labels constLabels;
  private final Inferwatch iw;
  private final Counter errors;
  private final Counter xids;
  private final LabelGuard xidValues;
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
            .help("GPU identity: index, UUID, product name, driver and CUDA versions, MIG mode")
            .labelNames("gpu", "uuid", "name", "driver_version", "cuda_version", "mig_mode")
            .constLabels(constLabels)
            .register(registry);
    gauge(
        "gpu_utilization_ratio",
        "Share of time a kernel ran on the GPU",
        GpuReading::utilizationRatio);
    gauge(
        "gpu_memory_copy_utilization_ratio",
        "Share of time device memory was read or written",
        GpuReading::memoryCopyUtilizationRatio);
    memoryGauge("gpu_memory_used_bytes", "Allocated device memory", GpuReading.Memory::usedBytes);
    memoryGauge("gpu_memory_free_bytes", "Unallocated device memory", GpuReading.Memory::freeBytes);
    memoryGauge(
        "gpu_memory_reserved_bytes",
        "Device memory the driver and firmware set aside",
        GpuReading.Memory::reservedBytes);
    memoryGauge("gpu_memory_total_bytes", "Installed device memory", GpuReading.Memory::totalBytes);
    memoryGauge(
        "gpu_process_memory_used_bytes",
        "Device memory held by this process",
        GpuReading.Memory::processUsedBytes);
    gauge("gpu_temperature_celsius", "GPU die temperature", GpuReading::temperatureCelsius);
    gauge(
        "gpu_memory_temperature_celsius",
        "GPU memory (HBM) temperature",
        GpuReading::memoryTemperatureCelsius);
    gauge("gpu_power_watts", "Board power draw", GpuReading::powerWatts);
    gauge("gpu_power_limit_watts", "Power limit the driver enforces", GpuReading::powerLimitWatts);
    gauge("gpu_sm_clock_hertz", "Current SM clock", GpuReading::smClockHertz);
    gauge("gpu_memory_clock_hertz", "Current memory clock", GpuReading::memoryClockHertz);
    CounterWithCallback.builder()
        .name(iw.metricName("gpu_energy_joules_total"))
        .help("Energy used by the GPU since the driver was loaded")
        .labelNames("gpu", "uuid")
        .constLabels(constLabels)
        .callback(
            cb -> {
              for (GpuReading device : snapshot.get().devices()) {
                if (device.energyJoules() != null) {
                  cb.call(device.energyJoules(), device.label(), label(device.uuid()));
                }
              }
            })
        .register(registry);
    GpuHealthMetrics.register(iw, snapshot, constLabels);
    this.xids =
        Counter.builder()
            .name(iw.metricName("gpu_xid_errors_total"))
            .help("XID errors the driver reported, by GPU and XID code")
            .labelNames("gpu", "uuid", "xid")
            .constLabels(constLabels)
            .register(registry);
    this.xidValues = iw.labelGuard("gpu_xid_errors_total", XID_VALUES);
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

  /** Counts one XID on GPU {@code gpu}; the code passes the label guard. */
  void recordXid(String gpu, String uuid, long xid) {
    try {
      xids.labelValues(gpu, label(uuid), xidValues.guard(Long.toUnsignedString(xid))).inc();
    } catch (RuntimeException e) {
      iw.internalErrors().record("gpu.xid", e);
    }
  }

  /** Records how long one poll took. */
  void observePoll(double seconds) {
    pollDuration.observe(seconds);
  }

  /** Publishes {@code gpu_info} for the devices found at NVML init. */
  void identify(String driverVersion, String cudaVersion, List<NvmlDevice> devices) {
    for (NvmlDevice device : devices) {
      info.addLabelValues(
          device.label,
          label(device.uuid),
          label(device.name),
          label(driverVersion),
          label(cudaVersion),
          label(device.migMode));
    }
  }

  private void gauge(String base, String help, Function<GpuReading, Number> field) {
    perGpu(
        base,
        help,
        cb -> {
          for (GpuReading device : snapshot.get().devices()) {
            Number value = field.apply(device);
            if (value != null) {
              cb.call(value.doubleValue(), device.label(), label(device.uuid()));
            }
          }
        });
  }

  /** A memory gauge: every GPU, and with MIG on every instance under its own {@code gpu} label. */
  private void memoryGauge(String base, String help, Function<GpuReading.Memory, Long> field) {
    perGpu(
        base,
        help,
        cb -> {
          for (GpuReading device : snapshot.get().devices()) {
            Long value = field.apply(device.memory());
            if (value != null) {
              cb.call(value, device.label(), label(device.uuid()));
            }
            for (GpuReading.Instance instance : device.instances()) {
              Long part = field.apply(instance.memory());
              if (part != null) {
                cb.call(part, instance.label(), label(instance.uuid()));
              }
            }
          }
        });
  }

  private void perGpu(String base, String help, Consumer<GaugeWithCallback.Callback> callback) {
    GaugeWithCallback.builder()
        .name(iw.metricName(base))
        .help(help)
        .labelNames("gpu", "uuid")
        .constLabels(constLabels)
        .callback(callback)
        .register(iw.registry());
  }

  static String label(String value) {
    return value == null ? LabelGuard.UNKNOWN : value;
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
