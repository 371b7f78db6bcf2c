package dev.inferwatch.core.business;

import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.LabelGuard;
import io.prometheus.metrics.core.metrics.Counter;

/** A {@link DomainCounter} whose label values pass the family's guards. */
final class GuardedCounter implements DomainCounter {

  private final Counter counter;
  private final LabelGuard[] guards;
  private final InternalErrors errors;

  GuardedCounter(Counter counter, LabelGuard[] guards, InternalErrors errors) {
    this.counter = counter;
    this.guards = guards;
    this.errors = errors;
  }

  @Override
  public void incrementBy(double amount, String... labelValues) {
    try {
      counter.labelValues(Labels.guarded(guards, labelValues)).inc(amount);
    } catch (RuntimeException e) {
      errors.record("business.counter", e);
    }
  }
}
