package dev.inferwatch.servlet.scrape;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Count, sum and quantiles of one or more classic histogram series merged together; quantiles are
 * estimated like PromQL's {@code histogram_quantile}: linear interpolation inside the bucket that
 * holds the rank, the highest finite bound when the rank falls into {@code +Inf}.
 */
final class HistogramStats {

  private final TreeMap<Double, Long> buckets = new TreeMap<>();
  private long count;
  private double sum;

  /** Adds one series (buckets with the same bounds add up). */
  void add(HistogramDataPointSnapshot point) {
    count += point.getCount();
    if (point.hasSum()) {
      sum += point.getSum();
    }
    ClassicHistogramBuckets classic = point.getClassicBuckets();
    for (int i = 0; i < classic.size(); i++) {
      buckets.merge(classic.getUpperBound(i), classic.getCount(i), Long::sum);
    }
  }

  long count() {
    return count;
  }

  double sum() {
    return sum;
  }

  /** The estimated {@code q}-quantile (0..1), or null without observations or buckets. */
  Double quantile(double q) {
    long total = 0;
    for (long c : buckets.values()) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    double lower = 0;
    double lastFinite = 0;
    long below = 0;
    for (Map.Entry<Double, Long> bucket : buckets.entrySet()) {
      double upper = bucket.getKey();
      long inBucket = bucket.getValue();
      if (below + inBucket >= rank && inBucket > 0) {
        if (Double.isInfinite(upper)) {
          return lastFinite;
        }
        return lower + (upper - lower) * (rank - below) / inBucket;
      }
      below += inBucket;
      lower = upper;
      if (!Double.isInfinite(upper)) {
        lastFinite = upper;
      }
    }
    return lastFinite;
  }

  /** {@code {"count", "sum", "p50", "p95", "p99"}} or a subset of the quantiles. */
  Map<String, Object> toMap(boolean allQuantiles) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", count);
    map.put("sum", sum);
    if (allQuantiles) {
      map.put("p50", quantile(0.5));
    }
    map.put("p95", quantile(0.95));
    if (allQuantiles) {
      map.put("p99", quantile(0.99));
    }
    return map;
  }
}
