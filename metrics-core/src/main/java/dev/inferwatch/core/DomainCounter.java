package dev.inferwatch.core;

import io.prometheus.metrics.core.metrics.Counter;

/** A domain counter from {@link BusinessMetrics#counter}; every call is safe and never throws. */
public final class DomainCounter {

  static final DomainCounter NOOP = new DomainCounter(null, new LabelGuard[0], null);

  private final Counter counter;
  private final LabelGuard[] guards;
  private final InternalErrors errors;

  DomainCounter(Counter counter, LabelGuard[] guards, InternalErrors errors) {
    this.counter = counter;
    this.guards = guards;
    this.errors = errors;
  }

  /** Adds one to the series for {@code labelValues} (in the order the labels were defined). */
  public void increment(String... labelValues) {
    incrementBy(1, labelValues);
  }

  /** Adds {@code amount} (not negative) to the series for {@code labelValues}. */
  public void incrementBy(double amount, String... labelValues) {
    if (counter == null) {
      return;
    }
    try {
      counter.labelValues(Labels.guarded(guards, labelValues)).inc(amount);
    } catch (RuntimeException e) {
      errors.record("business.counter", e);
    }
  }
}
