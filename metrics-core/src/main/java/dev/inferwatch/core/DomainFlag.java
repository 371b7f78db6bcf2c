package dev.inferwatch.core;

import io.prometheus.metrics.core.metrics.Gauge;

/** A 0/1 gauge from {@link BusinessMetrics#flag}, such as {@code redis_up}. */
public final class DomainFlag {

  static final DomainFlag NOOP = new DomainFlag(null, null);

  private final Gauge gauge;
  private final InternalErrors errors;

  DomainFlag(Gauge gauge, InternalErrors errors) {
    this.gauge = gauge;
    this.errors = errors;
  }

  /** Sets the flag to 1 when {@code up}, 0 otherwise. */
  public void set(boolean up) {
    if (gauge == null) {
      return;
    }
    try {
      gauge.set(up ? 1 : 0);
    } catch (RuntimeException e) {
      errors.record("business.flag", e);
    }
  }
}
