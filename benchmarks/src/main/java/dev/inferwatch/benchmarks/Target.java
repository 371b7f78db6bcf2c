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
    String unit,
    double scale) {

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
    ALLOCATION_AT_MOST_BASELINE,
    RATIO_WITHIN,
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
        name,
        benchmark,
        threads,
        SCORE,
        baseline,
        baselineName,
        Rule.RATIO_AT_MOST,
        limit,
        null,
        1);
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
        name,
        benchmark,
        threads,
        SCORE,
        baseline,
        baselineName,
        Rule.RATIO_AT_LEAST,
        limit,
        null,
        1);
  }

  /** Passes when the benchmark allocates nothing per operation (below 1 B/op, JMH's noise). */
  static Target noAllocation(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(
        name,
        benchmark,
        threads,
        ALLOCATION,
        baseline,
        baselineName,
        Rule.NO_ALLOCATION,
        1,
        null,
        1);
  }

  /** A figure reported against its baseline without a target. */
  static Target reported(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(
        name, benchmark, threads, SCORE, baseline, baselineName, Rule.REPORTED, 0, null, 1);
  }

  /** An allocation per operation reported against its baseline without a target. */
  static Target reportedAllocation(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(
        name, benchmark, threads, ALLOCATION, baseline, baselineName, Rule.REPORTED, 0, null, 1);
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
        name, benchmark, threads, SCORE, baseline, baselineName, Rule.AT_MOST, limit, unit, 1);
  }

  /**
   * Passes when the benchmark allocates no more per operation than its baseline: for figures whose
   * allocation belongs to a library the baseline calls too (client_java's native histograms).
   */
  static Target allocationAtMostBaseline(
      String name, String benchmark, int threads, String baseline, String baselineName) {
    return new Target(
        name,
        benchmark,
        threads,
        ALLOCATION,
        baseline,
        baselineName,
        Rule.ALLOCATION_AT_MOST_BASELINE,
        0,
        null,
        1);
  }

  /**
   * Passes when the value per unit of work stays within {@code tolerance} of the baseline's: the
   * ratio is {@code value / (baseline × scale)}, {@code scale} being how much more work the value
   * did (100 for 100,000 series against 1,000), and must lie in {@code 1 ± tolerance}.
   */
  static Target linear(
      String name,
      String benchmark,
      String baseline,
      String baselineName,
      double scale,
      double tolerance) {
    return new Target(
        name,
        benchmark,
        1,
        SCORE,
        baseline,
        baselineName,
        Rule.RATIO_WITHIN,
        tolerance,
        null,
        scale);
  }

  /**
   * A peer's figure per unit of work against its own smaller run, as {@link #linear} computes it,
   * without a target: the peer's curve shown beside the kit's.
   */
  static Target linearReported(
      String name, String benchmark, String baseline, String baselineName, double scale) {
    return new Target(
        name, benchmark, 1, SCORE, baseline, baselineName, Rule.REPORTED, 0, null, scale);
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
      case ALLOCATION_AT_MOST_BASELINE:
        return "≤ baseline's B/op";
      case RATIO_WITHIN:
        return "per unit of work within ±" + Math.round(limit * 100) + "%";
      default:
        return null;
    }
  }

  /**
   * Whether {@code value} (with {@code ratio} to the baseline, or NaN, and the baseline's own
   * value) passes; null if no rule.
   */
  Boolean passes(double value, double ratio, double baselineValue) {
    if (rule == Rule.ALLOCATION_AT_MOST_BASELINE) {
      return value <= baselineValue + 1;
    }
    switch (rule) {
      case RATIO_AT_MOST:
        return ratio <= limit;
      case RATIO_AT_LEAST:
        return ratio >= limit;
      case AT_MOST:
        return value <= limit;
      case NO_ALLOCATION:
        return value < limit;
      case RATIO_WITHIN:
        return Math.abs(ratio - 1) <= limit;
      default:
        return null;
    }
  }
}
