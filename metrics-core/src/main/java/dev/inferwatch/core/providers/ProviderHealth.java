package dev.inferwatch.core.providers;

import java.time.Duration;

/**
 * The derived health score of one provider, from its outcomes and latency over a sliding window.
 *
 * <p>The formula, over the last {@link #WINDOW} (ten 30-second slots):
 *
 * <pre>
 *   availability  = (ok + 0.5 × degraded) / (ok + degraded + failed + failed_midstream)
 *   latencyFactor = min(1, target / meanResponseTime)      (1 when no response time was recorded)
 *   score         = availability × latencyFactor                 (0..1)
 * </pre>
 *
 * <p>with {@code target} = {@link #LATENCY_TARGET}. Skips are the router's decision, not the
 * provider's answer, and do not count. With no attempted call in the window the score is unknown
 * ({@code NaN}) and the series is absent rather than 0, so "no traffic" never reads as "down".
 */
final class ProviderHealth {

  /** How far back the derived score looks. */
  static final Duration WINDOW = Duration.ofMinutes(5);

  /** Mean response time up to which latency does not lower the score. */
  static final Duration LATENCY_TARGET = Duration.ofSeconds(2);

  private static final int SLOTS = 10;
  private static final int OK = 0;
  private static final int DEGRADED = 1;
  private static final int FAILED = 2;
  private static final int TIMED = 3;
  private static final int MICROS = 4;

  private final SlidingCounts window =
      new SlidingCounts(SLOTS, WINDOW.toNanos() / SLOTS, MICROS + 1);

  void outcome(long nowNanos, ProviderOutcome outcome) {
    switch (outcome) {
      case OK -> window.add(nowNanos, OK, 1);
      case DEGRADED -> window.add(nowNanos, DEGRADED, 1);
      case FAILED, FAILED_MIDSTREAM -> window.add(nowNanos, FAILED, 1);
      default -> {
        // Skips are the router's decision, not the provider's answer.
      }
    }
  }

  void responseTime(long nowNanos, long durationNanos) {
    window.add(nowNanos, TIMED, 1);
    window.add(nowNanos, MICROS, Math.max(0, durationNanos / 1_000));
  }

  /** The score 0..1 at {@code nowNanos}, or {@code NaN} when the window saw no attempt. */
  double score(long nowNanos) {
    long[] s = window.sums(nowNanos);
    return score(s[OK], s[DEGRADED], s[FAILED], s[TIMED], s[MICROS] / 1e6);
  }

  /** Calls counted as {@code ok} in the window; for tests. */
  long okInWindow(long nowNanos) {
    return window.sums(nowNanos)[OK];
  }

  static double score(long ok, long degraded, long failed, long timed, double latencySeconds) {
    long attempts = ok + degraded + failed;
    if (attempts == 0) {
      return Double.NaN;
    }
    double availability = (ok + 0.5 * degraded) / attempts;
    double latencyFactor = 1;
    if (timed > 0) {
      double mean = latencySeconds / timed;
      double target = LATENCY_TARGET.toNanos() / 1e9;
      latencyFactor = mean <= target ? 1 : target / mean;
    }
    return availability * latencyFactor;
  }
}
