package dev.inferwatch.benchmarks.load;

/**
 * Latencies in microseconds: exact below 1,024 µs, then 64 buckets per power of two (within 1.6%)
 * up to about 2 minutes, in 17 KB, so that hundreds of concurrent connections can each keep one.
 */
final class MicrosHistogram {

  private static final int EXACT = 1024;
  private static final int SUB_BUCKETS = 64;
  private static final int EXACT_BITS = 10;
  private static final int MAX_POWER = 37;
  private static final int SIZE = EXACT + (MAX_POWER - EXACT_BITS) * SUB_BUCKETS;

  private final long[] counts = new long[SIZE];
  private long total;

  void record(long micros) {
    counts[index(Math.max(0, micros))]++;
    total++;
  }

  void add(MicrosHistogram other) {
    for (int i = 0; i < SIZE; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  long count() {
    return total;
  }

  /** The value at {@code quantile} (0..1): exact below 1,024 µs, the bucket's lower bound above. */
  long percentile(double quantile) {
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < SIZE; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return lowerBound(i);
      }
    }
    return lowerBound(SIZE - 1);
  }

  private static int index(long micros) {
    if (micros < EXACT) {
      return (int) micros;
    }
    int power = Math.min(63 - Long.numberOfLeadingZeros(micros), MAX_POWER - 1);
    long sub = (micros >>> (power - 6)) & (SUB_BUCKETS - 1);
    return (int) Math.min(SIZE - 1, EXACT + (power - EXACT_BITS) * SUB_BUCKETS + sub);
  }

  private static long lowerBound(int index) {
    if (index < EXACT) {
      return index;
    }
    int power = (index - EXACT) / SUB_BUCKETS + EXACT_BITS;
    long sub = (index - EXACT) % SUB_BUCKETS;
    return (1L << power) + (sub << (power - 6));
  }
}
