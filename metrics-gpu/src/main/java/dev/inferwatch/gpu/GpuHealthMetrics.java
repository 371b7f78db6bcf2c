package dev.inferwatch.gpu;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import java.util.function.Supplier;

/**
 * The GPU health families of shared/METRICS.md, read from the latest {@link GpuSnapshot} at scrape
 * time: {@code gpu_clock_event_reasons} (a stateset), {@code gpu_ecc_errors_total{type}}, {@code
 * gpu_remapped_rows{kind}}, {@code gpu_pcie_replays_total} and {@code
 * gpu_pcie_throughput_bytes_per_second{direction}}. Registered by {@link GpuMetrics}.
 *
 * <pre>{@code
 * GpuHealthMetrics.register(iw, poller::snapshot, constLabels);
 * }</pre>
 */
final class GpuHealthMetrics {

  private final Supplier<GpuSnapshot> snapshot;
  private final Labels constLabels;

  private GpuHealthMetrics(Supplier<GpuSnapshot> snapshot, Labels constLabels) {
    this.snapshot = snapshot;
    this.constLabels = constLabels;
  }

  /** Registers the health families with {@code iw}'s registry. */
  static void register(Inferwatch iw, Supplier<GpuSnapshot> snapshot, Labels constLabels) {
    new GpuHealthMetrics(snapshot, constLabels).registerWith(iw);
  }

  private void registerWith(Inferwatch iw) {
    iw.registry().register(new ClockEventReasons(iw.metricName("gpu_clock_event_reasons")));
    CounterWithCallback.builder()
        .name(iw.metricName("gpu_ecc_errors_total"))
        .help("ECC errors since the driver was loaded (volatile), by type")
        .labelNames("gpu", "uuid", "type")
        .constLabels(constLabels)
        .callback(
            cb -> {
              for (GpuReading d : snapshot.get().devices()) {
                String uuid = GpuMetrics.label(d.uuid());
                if (d.eccCorrected() != null) {
                  cb.call(d.eccCorrected(), d.label(), uuid, "corrected");
                }
                if (d.eccUncorrected() != null) {
                  cb.call(d.eccUncorrected(), d.label(), uuid, "uncorrected");
                }
              }
            })
        .register(iw.registry());
    GaugeWithCallback.builder()
        .name(iw.metricName("gpu_remapped_rows"))
        .help(
            "Row remapper: rows remapped for correctable and uncorrectable errors, pending, failed")
        .labelNames("gpu", "uuid", "kind")
        .constLabels(constLabels)
        .callback(
            cb -> {
              for (GpuReading d : snapshot.get().devices()) {
                GpuReading.RemappedRows rows = d.remappedRows();
                if (rows != null) {
                  String uuid = GpuMetrics.label(d.uuid());
                  cb.call(rows.correctable(), d.label(), uuid, "correctable");
                  cb.call(rows.uncorrectable(), d.label(), uuid, "uncorrectable");
                  cb.call(rows.pending() ? 1 : 0, d.label(), uuid, "pending");
                  cb.call(rows.failed() ? 1 : 0, d.label(), uuid, "failed");
                }
              }
            })
        .register(iw.registry());
    CounterWithCallback.builder()
        .name(iw.metricName("gpu_pcie_replays_total"))
        .help("PCIe replays since the driver was loaded")
        .labelNames("gpu", "uuid")
        .constLabels(constLabels)
        .callback(
            cb -> {
              for (GpuReading d : snapshot.get().devices()) {
                if (d.pcieReplays() != null) {
                  cb.call(d.pcieReplays(), d.label(), GpuMetrics.label(d.uuid()));
                }
              }
            })
        .register(iw.registry());
    GaugeWithCallback.builder()
        .name(iw.metricName("gpu_pcie_throughput_bytes_per_second"))
        .help("PCIe throughput over the driver's last 20 ms sample, by direction")
        .labelNames("gpu", "uuid", "direction")
        .constLabels(constLabels)
        .callback(
            cb -> {
              for (GpuReading d : snapshot.get().devices()) {
                String uuid = GpuMetrics.label(d.uuid());
                if (d.pcieTxBytesPerSecond() != null) {
                  cb.call(d.pcieTxBytesPerSecond(), d.label(), uuid, "tx");
                }
                if (d.pcieRxBytesPerSecond() != null) {
                  cb.call(d.pcieRxBytesPerSecond(), d.label(), uuid, "rx");
                }
              }
            })
        .register(iw.registry());
  }

  /**
   * {@code gpu_clock_event_reasons}: one state per {@link ClockEventReason}, 1 while the driver
   * reports it. client_java has no stateset with a callback, hence a collector.
   */
  private final class ClockEventReasons implements Collector {
    private final String name;

    ClockEventReasons(String name) {
      this.name = name;
    }

    @Override
    public MetricSnapshot collect() {
      StateSetSnapshot.Builder family =
          StateSetSnapshot.builder()
              .name(name)
              .help("Why the GPU clocks are held below maximum (throttling), by reason");
      for (GpuReading d : snapshot.get().devices()) {
        Long mask = d.clockEventReasons();
        if (mask == null) {
          continue;
        }
        StateSetSnapshot.StateSetDataPointSnapshot.Builder point =
            StateSetSnapshot.StateSetDataPointSnapshot.builder()
                .labels(
                    constLabels.merge(
                        Labels.of("gpu", d.label(), "uuid", GpuMetrics.label(d.uuid()))));
        for (ClockEventReason reason : ClockEventReason.values()) {
          point.state(reason.label, reason.in(mask));
        }
        family.dataPoint(point.build());
      }
      return family.build();
    }

    @Override
    public String getPrometheusName() {
      return name;
    }
  }
}
