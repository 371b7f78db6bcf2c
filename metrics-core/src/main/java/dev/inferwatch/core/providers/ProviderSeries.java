package dev.inferwatch.core.providers;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bound series and derived state of one provider: created once on its first call, fixed size,
 * so recording costs array reads and no label lookups.
 */
final class ProviderSeries {

  /** How often repeated skips or degraded answers of one provider are journalled. */
  static final Duration QUIET_PERIOD = Duration.ofSeconds(10);

  final String name;
  final CounterDataPoint[] outcomes;
  final DistributionDataPoint responseTime;
  final CounterDataPoint cost;
  final ProviderHealth health = new ProviderHealth();
  volatile double hostScore = Double.NaN;
  volatile CircuitState circuit;
  volatile boolean failing;
  private final AtomicLongArray journalledAt = new AtomicLongArray(ProviderOutcome.values().length);

  ProviderSeries(String name, Counter requests, Histogram responseTime, Counter cost) {
    this.name = name;
    ProviderOutcome[] all = ProviderOutcome.values();
    this.outcomes = new CounterDataPoint[all.length];
    for (ProviderOutcome o : all) {
      outcomes[o.ordinal()] = requests.labelValues(name, o.label());
    }
    this.responseTime = responseTime.labelValues(name);
    this.cost = cost.labelValues(name);
  }

  /** The host's score if set, else the derived one; NaN when unknown. */
  double score(long now) {
    double host = hostScore;
    return Double.isNaN(host) ? health.score(now) : host;
  }

  /**
   * Skips and degraded answers can come at request rate; journalling each would push failures out
   * of the ring, so each kind is journalled at most once per {@link #QUIET_PERIOD} (and always
   * counted).
   */
  boolean dueForJournal(ProviderOutcome outcome, long now) {
    long last = journalledAt.get(outcome.ordinal());
    return (last == 0 || now - last >= QUIET_PERIOD.toNanos())
        && journalledAt.compareAndSet(outcome.ordinal(), last, now == 0 ? 1 : now);
  }
}
