package dev.inferwatch.core.business;

import dev.inferwatch.core.internal.InternalErrors;
import io.prometheus.metrics.core.metrics.Gauge;

/** A {@link DomainFlag} over a gauge. */
final class GaugeFlag implements DomainFlag {

  private final Gauge gauge;
  private final InternalErrors errors;

  GaugeFlag(Gauge gauge, InternalErrors errors) {
    this.gauge = gauge;
    this.errors = errors;
  }

  @Override
  public void set(boolean up) {
    try {
      gauge.set(up ? 1 : 0);
    } catch (RuntimeException e) {
      errors.record("business.flag", e);
    }
  }
}
