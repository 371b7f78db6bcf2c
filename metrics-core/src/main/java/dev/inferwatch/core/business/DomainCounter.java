package dev.inferwatch.core.business;

/**
 * A domain counter from {@link BusinessMetrics#counter}; every call is safe and never throws.
 *
 * <pre>{@code
 * DomainCounter orders = iw.business().counter("orders_total", "Orders placed", "channel");
 * orders.increment("web");
 * }</pre>
 */
public sealed interface DomainCounter permits GuardedCounter, NoopDomainCounter {

  /** Adds one to the series for {@code labelValues} (in the order the labels were defined). */
  default void increment(String... labelValues) {
    incrementBy(1, labelValues);
  }

  /** Adds {@code amount} (not negative) to the series for {@code labelValues}. */
  void incrementBy(double amount, String... labelValues);
}
