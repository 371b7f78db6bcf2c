package dev.inferwatch.servlet.scrape;

import dev.inferwatch.core.internal.MergedHistogram;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Count, sum and quantiles of one or more histogram series merged together, as the JSON snapshot
 * shows them: quantiles from the native buckets when client_java keeps them (its default), from the
 * classic buckets otherwise ({@link MergedHistogram}).
 */
final class HistogramStats {

  private final MergedHistogram merged = new MergedHistogram();

  /** Adds one series. */
  void add(HistogramDataPointSnapshot point) {
    merged.add(point);
  }

  long count() {
    return merged.count();
  }

  double sum() {
    return merged.sum();
  }

  /** The estimated {@code q}-quantile (0..1), or null without observations. */
  Double quantile(double q) {
    return merged.quantile(q);
  }

  /**
   * {@code {"count", "sum", "p50", "p90", "p95", "p99", "quantiles_from"}}, or with {@code
   * allQuantiles} false only p95 of the quantiles.
   */
  Map<String, Object> toMap(boolean allQuantiles) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", merged.count());
    map.put("sum", merged.sum());
    if (allQuantiles) {
      map.put("p50", quantile(0.5));
      map.put("p90", quantile(0.9));
    }
    map.put("p95", quantile(0.95));
    if (allQuantiles) {
      map.put("p99", quantile(0.99));
    }
    map.put("quantiles_from", merged.source());
    return map;
  }
}
