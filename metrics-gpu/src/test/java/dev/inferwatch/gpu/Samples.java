package dev.inferwatch.gpu;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Values out of a registry scrape, for exact assertions on the GPU families. */
final class Samples {

  private final PrometheusRegistry registry;

  Samples(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /**
   * The value (histograms: the count) of the data point of {@code family} (snapshot name, without
   * {@code _total}) whose labels include {@code pairs}, or {@code null} when there is none.
   */
  Double value(String family, String... pairs) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (!snapshot.getMetadata().getName().equals(family)) {
        continue;
      }
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        if (!matches(point.getLabels(), pairs)) {
          continue;
        }
        if (point instanceof CounterSnapshot.CounterDataPointSnapshot counter) {
          return counter.getValue();
        }
        if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot gauge) {
          return gauge.getValue();
        }
        if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot histogram) {
          return (double) histogram.getCount();
        }
        return 1.0;
      }
    }
    return null;
  }

  /** The Prometheus text exposition. */
  String text() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean matches(Labels labels, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
