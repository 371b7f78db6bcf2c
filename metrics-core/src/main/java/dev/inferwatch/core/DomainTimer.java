package dev.inferwatch.core;

import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;

/**
 * A domain timer from {@link BusinessMetrics#timer}, in seconds.
 *
 * <pre>{@code
 * try (DomainTimer.Sample s = timer.start("pay")) {
 *   pay();
 * }
 * }</pre>
 */
public final class DomainTimer {

  static final DomainTimer NOOP = new DomainTimer(null, new LabelGuard[0], null);

  private final Histogram histogram;
  private final LabelGuard[] guards;
  private final InternalErrors errors;

  DomainTimer(Histogram histogram, LabelGuard[] guards, InternalErrors errors) {
    this.histogram = histogram;
    this.guards = guards;
    this.errors = errors;
  }

  /** Starts timing; closing the sample records the elapsed time once. */
  public Sample start(String... labelValues) {
    return new Sample(this, labelValues, System.nanoTime());
  }

  /** Records {@code duration} for {@code labelValues}. */
  public void record(Duration duration, String... labelValues) {
    recordNanos(duration.toNanos(), labelValues);
  }

  void recordNanos(long nanos, String[] labelValues) {
    if (histogram == null) {
      return;
    }
    try {
      histogram.labelValues(Labels.guarded(guards, labelValues)).observe(nanos / 1e9);
    } catch (RuntimeException e) {
      errors.record("business.timer", e);
    }
  }

  /** One running measurement; {@link #close()} records it, later calls do nothing. */
  public static final class Sample implements AutoCloseable {
    private final DomainTimer timer;
    private final String[] labelValues;
    private final long start;
    private boolean closed;

    Sample(DomainTimer timer, String[] labelValues, long start) {
      this.timer = timer;
      this.labelValues = labelValues;
      this.start = start;
    }

    /** Records the time since {@link DomainTimer#start}; never throws. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        timer.recordNanos(System.nanoTime() - start, labelValues);
      }
    }
  }
}
