package dev.inferwatch.core.internal;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * Reading a registry scrape by the catalogue's names: what the JSON snapshot, the metric views and
 * the history share.
 */
public final class Snapshots {

  private Snapshots() {}

  /**
   * The family's name as exposed and as {@link MetricNames} spells it: client_java keeps a
   * counter's name without {@code _total} and an info's without {@code _info}.
   */
  public static String exposedName(MetricSnapshot snapshot) {
    String name = snapshot.getMetadata().getPrometheusName();
    if (snapshot instanceof CounterSnapshot) {
      return name + "_total";
    }
    if (snapshot instanceof InfoSnapshot) {
      return name + "_info";
    }
    return name;
  }

  /** The value of label {@code name}, or "" when the point has none. */
  public static String label(DataPointSnapshot point, String name) {
    String value = point.getLabels().get(name);
    return value == null ? "" : value;
  }

  /** A counter's or gauge's value, a histogram's count; 0 for anything else. */
  public static double value(DataPointSnapshot point) {
    if (point instanceof CounterSnapshot.CounterDataPointSnapshot counter) {
      return counter.getValue();
    }
    if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot gauge) {
      return gauge.getValue();
    }
    if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot histogram) {
      return histogram.getCount();
    }
    return 0;
  }
}
