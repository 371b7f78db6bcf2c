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
    double limit,
    String unit) {

  /** The primary score of a benchmark (time per operation, or throughput). */
  static final String SCORE = "score";

  /** JMH's {@code -prof gc} bytes allocated per operation. */
  static final String ALLOCATION = "gc.alloc.rate.norm";

  /** How a figure passes. */
  enum Rule {
    RATIO_AT_MOST,
    RATIO_AT_LEAST,
    AT_MOST,
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
        name, benchmark, threads, SCORE, baseline, baselineName, Rule.RATIO_AT_MOST, limit, null);
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
        name, benchmark, threads, SCORE, baseline, baselineName, Rule.RATIO_AT_LEAST, limit, null);
  }

  /** Passes when the benchmark allocates nothing per operation (below 1 B/op, JMH's noise). */
  static Target noAllocation(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(
        name, benchmark, threads, ALLOCATION, baseline, baselineName, Rule.NO_ALLOCATION, 1, null);
  }

  /** A figure reported against its baseline without a target. */
  static Target reported(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(
        name, benchmark, threads, SCORE, baseline, baselineName, Rule.REPORTED, 0, null);
  }

  /** Bytes allocated per operation, reported against the baseline's without a target. */
  static Target reportedAllocation(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(
        name, benchmark, threads, ALLOCATION, baseline, baselineName, Rule.REPORTED, 0, null);
  }

  /**
   * Passes when the score itself is at most {@code limit} {@code unit} (the benchmark's own unit,
   * such as {@code us/op}): a budget with no peer to compare to; the baseline, measured in the same
   * run, is shown for scale only.
   */
  static Target atMost(
      String name,
      String benchmark,
      int threads,
      double limit,
      String unit,
      String baseline,
      String baselineName) {
    return new Target(
        name, benchmark, threads, SCORE, baseline, baselineName, Rule.AT_MOST, limit, unit);
  }

  /** The target as the results table writes it, or {@code null} for a reported figure. */
  String describe() {
    switch (rule) {
      case RATIO_AT_MOST:
        return "≤ " + limit + "×";
      case RATIO_AT_LEAST:
        return "≥ " + limit + "×";
      case AT_MOST:
        return "≤ "
            + (limit == Math.rint(limit) ? Long.toString((long) limit) : limit)
            + " "
            + unit;
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
      case AT_MOST:
        return value <= limit;
      case NO_ALLOCATION:
        return value < limit;
      default:
        return null;
    }
  }
}
