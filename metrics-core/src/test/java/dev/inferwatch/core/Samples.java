package dev.inferwatch.core;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Set;
import java.util.TreeSet;

/** Reads values out of a registry snapshot for exact assertions in core tests. */
public final class Samples {

  private final PrometheusRegistry registry;

  public Samples(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /** Sum of counter/gauge values, or histogram counts, of {@code family} matching the pairs. */
  public double value(String family, String... labelPairs) {
    double sum = 0;
    for (DataPointSnapshot point : points(family)) {
      if (!matches(point.getLabels(), labelPairs)) {
        continue;
      }
      if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
        sum += ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
      } else if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
        sum += ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
      } else if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot) {
        sum += ((HistogramSnapshot.HistogramDataPointSnapshot) point).getCount();
      }
    }
    return sum;
  }

  /** Sum of the observed values of histogram {@code family} matching the pairs. */
  public double sum(String family, String... labelPairs) {
    double sum = 0;
    for (DataPointSnapshot point : points(family)) {
      if (matches(point.getLabels(), labelPairs)
          && point instanceof HistogramSnapshot.HistogramDataPointSnapshot histogram) {
        sum += histogram.getSum();
      }
    }
    return sum;
  }

  /** Distinct values of {@code label} across the data points of {@code family}. */
  public Set<String> labelValues(String family, String label) {
    Set<String> values = new TreeSet<>();
    for (DataPointSnapshot point : points(family)) {
      String v = point.getLabels().get(label);
      if (v != null) {
        values.add(v);
      }
    }
    return values;
  }

  /** The const and variable labels of the first data point of {@code family}. */
  public Labels firstLabels(String family) {
    return points(family).iterator().next().getLabels();
  }

  public boolean has(String family) {
    return find(family) != null;
  }

  private Iterable<? extends DataPointSnapshot> points(String family) {
    MetricSnapshot snapshot = find(family);
    return snapshot == null ? java.util.List.of() : snapshot.getDataPoints();
  }

  private MetricSnapshot find(String family) {
    String name = family.endsWith("_total") ? family.substring(0, family.length() - 6) : family;
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getPrometheusName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static boolean matches(Labels labels, String[] pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
