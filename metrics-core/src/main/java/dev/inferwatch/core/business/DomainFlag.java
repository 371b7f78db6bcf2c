package dev.inferwatch.core.business;

/**
 * A 0/1 gauge from {@link BusinessMetrics#flag}, such as {@code redis_up}; never throws.
 *
 * <pre>{@code
 * iw.business().flag("redis_up", "Redis answers PING").set(redis.ping());
 * }</pre>
 */
public sealed interface DomainFlag permits GaugeFlag, NoopDomainFlag {

  /** Sets the flag to 1 when {@code up}, 0 otherwise. */
  void set(boolean up);
}
