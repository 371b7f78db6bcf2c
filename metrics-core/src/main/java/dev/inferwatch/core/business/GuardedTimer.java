package dev.inferwatch.core.business;

import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.LabelGuard;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;

/** A {@link DomainTimer} over a seconds histogram whose label values pass the family's guards. */
final class GuardedTimer implements DomainTimer {

  private final Histogram histogram;
  private final LabelGuard[] guards;
  private final InternalErrors errors;

  GuardedTimer(Histogram histogram, LabelGuard[] guards, InternalErrors errors) {
    this.histogram = histogram;
    this.guards = guards;
    this.errors = errors;
  }

  @Override
  public Sample start(String... labelValues) {
    long start = System.nanoTime();
    boolean[] closed = new boolean[1];
    return () -> {
      if (!closed[0]) {
        closed[0] = true;
        recordNanos(System.nanoTime() - start, labelValues);
      }
    };
  }

  @Override
  public void record(Duration duration, String... labelValues) {
    recordNanos(duration.toNanos(), labelValues);
  }

  private void recordNanos(long nanos, String[] labelValues) {
    try {
      histogram.labelValues(Labels.guarded(guards, labelValues)).observe(nanos / 1e9);
    } catch (RuntimeException e) {
      errors.record("business.timer", e);
    }
  }
}
