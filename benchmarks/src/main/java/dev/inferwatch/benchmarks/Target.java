package dev.inferwatch.benchmarks;

/**
 * One published figure: the measurement, the baseline measured in the same run, and the rule that
 * decides pass or fail. Measurements are named {@code Class.method}, with the thread count and
 * either the primary score or a secondary metric such as {@code gc.alloc.rate.norm}.
 *
 * <pre>{@code
 * Target.ratioAtMost("filter, 1 thread", "FilterOverheadBenchmark.filter", 1,
 *     "FilterOverheadBenchmark.rawOperations", "raw client_java ops", 1.5);
 * }</pre>
 */
record Target(
    String name,
    String benchmark,
    int threads,
    String metric,
    String baseline,
    String baselineName,
    Rule rule,
    double limit) {

  /** The primary score of a benchmark (time per operation, or throughput). */
  static final String SCORE = "score";

  /** JMH's {@code -prof gc} bytes allocated per operation. */
  static final String ALLOCATION = "gc.alloc.rate.norm";

  /** How a figure passes. */
  enum Rule {
    RATIO_AT_MOST,
    RATIO_AT_LEAST,
    NO_ALLOCATION,
    REPORTED
  }

  /** Passes when the value is at most {@code limit} times the baseline. */
  static Target ratioAtMost(
      String name,
      String benchmark,
      int threads,
      String baseline,
      String baselineName,
      double limit) {
    return new Target(
        name, benchmark, threads, SCORE, baseline, baselineName, Rule.RATIO_AT_MOST, limit);
  }

  /** Passes when the value is at least {@code limit} times the baseline (throughput). */
  static Target ratioAtLeast(
      String name,
      String benchmark,
      int threads,
      String baseline,
      String baselineName,
      double limit) {
    return new Target(
        name, benchmark, threads, SCORE, baseline, baselineName, Rule.RATIO_AT_LEAST, limit);
  }

  /** Passes when the benchmark allocates nothing per operation (below 1 B/op, JMH's noise). */
  static Target noAllocation(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(
        name, benchmark, threads, ALLOCATION, baseline, baselineName, Rule.NO_ALLOCATION, 1);
  }

  /** A figure reported against its baseline without a target. */
  static Target reported(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(name, benchmark, threads, SCORE, baseline, baselineName, Rule.REPORTED, 0);
  }

  /** The target as the results table writes it, or {@code null} for a reported figure. */
  String describe() {
    switch (rule) {
      case RATIO_AT_MOST:
        return "≤ " + limit + "×";
      case RATIO_AT_LEAST:
        return "≥ " + limit + "×";
      case NO_ALLOCATION:
        return "0 B/op";
      default:
        return null;
    }
  }

  /** Whether {@code value} (with {@code ratio} to the baseline, or NaN) passes; null if no rule. */
  Boolean passes(double value, double ratio) {
    switch (rule) {
      case RATIO_AT_MOST:
        return ratio <= limit;
      case RATIO_AT_LEAST:
        return ratio >= limit;
      case NO_ALLOCATION:
        return value < limit;
      default:
        return null;
    }
  }
}
