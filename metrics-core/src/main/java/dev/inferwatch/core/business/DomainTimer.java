package dev.inferwatch.core.business;

import java.time.Duration;

/**
 * A domain timer from {@link BusinessMetrics#timer}, in seconds; never throws.
 *
 * <pre>{@code
 * try (DomainTimer.Sample s = timer.start("pay")) {
 *   pay();
 * }
 * }</pre>
 */
public sealed interface DomainTimer permits GuardedTimer, NoopDomainTimer {

  /** Starts timing; closing the sample records the elapsed time once. */
  Sample start(String... labelValues);

  /** Records {@code duration} for {@code labelValues}. */
  void record(Duration duration, String... labelValues);

  /** One running measurement; {@link #close()} records it, later calls do nothing. */
  interface Sample extends AutoCloseable {
    /** Records the time since {@link DomainTimer#start}; never throws. */
    @Override
    void close();
  }
}
