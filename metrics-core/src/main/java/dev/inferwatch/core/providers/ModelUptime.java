package dev.inferwatch.core.providers;

import java.time.Duration;

/**
 * The derived 24-hour uptime of one model: the share of attempted calls that succeeded, over 24
 * hourly buckets.
 *
 * <pre>
 *   uptime = (ok + degraded) / (ok + degraded + failed + failed_midstream)   over the last 24 h
 * </pre>
 *
 * <p>A degraded answer is still an answer, so it counts as up. Skips do not count. With no attempt
 * in 24 hours the ratio is unknown ({@code NaN}) and the series is absent.
 */
final class ModelUptime {

  /** The span the ratio covers, in hourly slots. */
  static final Duration WINDOW = Duration.ofHours(24);

  private static final int SLOTS = 24;
  private static final int UP = 0;
  private static final int DOWN = 1;

  private final String name;
  private final SlidingCounts day = new SlidingCounts(SLOTS, WINDOW.toNanos() / SLOTS, 2);
  private volatile double hostRatio = Double.NaN;

  ModelUptime(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** A value set by the host, which wins over the derived ratio until set back to NaN. */
  void hostRatio(double ratio) {
    hostRatio = ratio;
  }

  /** The host's value if set, else the derived ratio. */
  double effective(long nowNanos) {
    double host = hostRatio;
    return Double.isNaN(host) ? ratio(nowNanos) : host;
  }

  void outcome(long nowNanos, ProviderOutcome outcome) {
    if (!outcome.attempted()) {
      return;
    }
    day.add(nowNanos, outcome.failure() ? DOWN : UP, 1);
  }

  /** The ratio 0..1 at {@code nowNanos}, or {@code NaN} with no attempt in the window. */
  double ratio(long nowNanos) {
    long[] s = day.sums(nowNanos);
    return ratio(s[UP], s[DOWN]);
  }

  static double ratio(long up, long down) {
    long attempts = up + down;
    return attempts == 0 ? Double.NaN : (double) up / attempts;
  }
}
