package dev.inferwatch.core.internal;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One or more histogram series of non-negative observations added together, with quantiles
 * estimated the way Prometheus does: from the native (exponential) buckets when every series has
 * them, else from the classic buckets like {@code histogram_quantile}.
 *
 * <p>Native buckets are what make the figures true: at client_java's default schema a bucket is
 * about 2 % wide, where a classic bucket such as (100, 250] ms put a steady 120 ms at 175 ms.
 * Series of different schemas are merged at the coarsest one, as Prometheus sums them.
 *
 * <pre>{@code
 * MergedHistogram latency = new MergedHistogram();
 * snapshot.getDataPoints().forEach(latency::add);
 * Double p95 = latency.quantile(0.95);
 * }</pre>
 */
public final class MergedHistogram {

  /** {@link #source()} when the quantiles come from native buckets. */
  public static final String NATIVE = "native";

  /** {@link #source()} when the quantiles come from classic buckets. */
  public static final String CLASSIC = "classic";

  private final TreeMap<Double, Long> classic = new TreeMap<>();
  private final TreeMap<Integer, Long> positive = new TreeMap<>();
  private int schema = Integer.MAX_VALUE;
  private long zeroCount;
  private double zeroThreshold;
  private boolean allNative = true;
  private long count;
  private double sum;

  /** Adds one series. */
  public MergedHistogram add(HistogramDataPointSnapshot point) {
    count += point.getCount();
    if (point.hasSum()) {
      sum += point.getSum();
    }
    if (point.hasClassicHistogramData()) {
      ClassicHistogramBuckets buckets = point.getClassicBuckets();
      for (int i = 0; i < buckets.size(); i++) {
        classic.merge(buckets.getUpperBound(i), buckets.getCount(i), Long::sum);
      }
    }
    if (!point.hasNativeHistogramData()) {
      allNative = false;
      return this;
    }
    int pointSchema = point.getNativeSchema();
    if (pointSchema < schema) {
      downscale(pointSchema);
    }
    zeroCount += point.getNativeZeroCount();
    // Negative durations do not occur; whatever lies below zero counts with the zero bucket.
    NativeHistogramBuckets negative = point.getNativeBucketsForNegativeValues();
    for (int i = 0; i < negative.size(); i++) {
      zeroCount += negative.getCount(i);
    }
    zeroThreshold = Math.max(zeroThreshold, point.getNativeZeroThreshold());
    NativeHistogramBuckets buckets = point.getNativeBucketsForPositiveValues();
    int shift = pointSchema - schema;
    for (int i = 0; i < buckets.size(); i++) {
      positive.merge(coarser(buckets.getBucketIndex(i), shift), buckets.getCount(i), Long::sum);
    }
    return this;
  }

  /**
   * What was observed after {@code earlier} (a merge of the same series at an earlier time), for
   * quantiles over an interval; a series that was reset counts from zero.
   */
  public MergedHistogram since(MergedHistogram earlier) {
    MergedHistogram delta = new MergedHistogram();
    delta.allNative = allNative && earlier.allNative;
    if (earlier.count > count) {
      earlier = new MergedHistogram();
    }
    delta.count = count - earlier.count;
    delta.sum = sum - earlier.sum;
    for (Map.Entry<Double, Long> bucket : classic.entrySet()) {
      long before = earlier.classic.getOrDefault(bucket.getKey(), 0L);
      delta.classic.put(bucket.getKey(), Math.max(0, bucket.getValue() - before));
    }
    if (delta.allNative) {
      MergedHistogram now = copyAt(Math.min(schema, earlier.schema));
      MergedHistogram then = earlier.copyAt(now.schema);
      delta.schema = now.schema;
      delta.zeroThreshold = now.zeroThreshold;
      delta.zeroCount = Math.max(0, now.zeroCount - then.zeroCount);
      for (Map.Entry<Integer, Long> bucket : now.positive.entrySet()) {
        long before = then.positive.getOrDefault(bucket.getKey(), 0L);
        if (bucket.getValue() > before) {
          delta.positive.put(bucket.getKey(), bucket.getValue() - before);
        }
      }
    }
    return delta;
  }

  /** Observations added. */
  public long count() {
    return count;
  }

  /** Sum of the observations. */
  public double sum() {
    return sum;
  }

  /** {@link #NATIVE} or {@link #CLASSIC}: which buckets {@link #quantile} reads. */
  public String source() {
    return allNative && schema != Integer.MAX_VALUE ? NATIVE : CLASSIC;
  }

  /** The estimated {@code q}-quantile (0..1), or null without observations. */
  public Double quantile(double q) {
    return NATIVE.equals(source()) ? nativeQuantile(q) : classicQuantile(q);
  }

  private Double nativeQuantile(double q) {
    long total = zeroCount;
    for (long c : positive.values()) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    if (rank <= zeroCount) {
      return zeroCount == 0 ? 0.0 : zeroThreshold * rank / zeroCount;
    }
    long below = zeroCount;
    double base = Math.pow(2, Math.pow(2, -schema));
    Map.Entry<Integer, Long> last = null;
    for (Map.Entry<Integer, Long> bucket : positive.entrySet()) {
      long inBucket = bucket.getValue();
      if (inBucket > 0 && below + inBucket >= rank) {
        double upper = Math.pow(base, bucket.getKey());
        double lower = Math.max(upper / base, zeroThreshold);
        // Exponential interpolation, as Prometheus does inside an exponential bucket.
        double fraction = (rank - below) / inBucket;
        return lower * Math.pow(upper / lower, fraction);
      }
      below += inBucket;
      last = bucket;
    }
    return last == null ? 0.0 : Math.pow(base, last.getKey());
  }

  private Double classicQuantile(double q) {
    long total = 0;
    for (long c : classic.values()) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    double lower = 0;
    double lastFinite = 0;
    long below = 0;
    for (Map.Entry<Double, Long> bucket : classic.entrySet()) {
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

  /** Merges the native buckets held so far into the coarser {@code target} schema. */
  private void downscale(int target) {
    if (schema != Integer.MAX_VALUE && !positive.isEmpty()) {
      TreeMap<Integer, Long> merged = new TreeMap<>();
      int shift = schema - target;
      for (Map.Entry<Integer, Long> bucket : positive.entrySet()) {
        merged.merge(coarser(bucket.getKey(), shift), bucket.getValue(), Long::sum);
      }
      positive.clear();
      positive.putAll(merged);
    }
    schema = target;
  }

  private MergedHistogram copyAt(int target) {
    MergedHistogram copy = new MergedHistogram();
    copy.schema = schema;
    copy.zeroCount = zeroCount;
    copy.zeroThreshold = zeroThreshold;
    copy.positive.putAll(positive);
    if (target < schema) {
      copy.downscale(target);
    }
    return copy;
  }

  /**
   * The index at a schema {@code shift} steps coarser: bucket {@code i} covers (b^(i-1), b^i], and
   * at half the resolution it lies in bucket ceil(i / 2^shift).
   */
  private static int coarser(int index, int shift) {
    return shift <= 0 ? index : (index + (1 << shift) - 1) >> shift;
  }
}
