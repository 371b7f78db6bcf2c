package dev.inferwatch.core.models;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One prediction under way: counted in {@code model_predictions_in_progress} until it ends, then
 * recorded once with its outcome and duration. Closing without an outcome records {@code error}.
 *
 * <p>A server with bounded workers marks it {@link #queued()} when it has to wait and {@link
 * #running()} when a worker takes it; it then counts in {@code model_predictions_waiting} and
 * {@code model_predictions_running} until it ends. Thread-safe; no method throws.
 *
 * <pre>{@code
 * try (Prediction p = iw.models().start("sentiment", "v3")) {
 *   Label label = model.predict(input);
 *   p.ok();
 * }
 * }</pre>
 */
public final class Prediction implements AutoCloseable {

  private static final int NEW = 0;
  private static final int QUEUED = 1;
  private static final int RUNNING = 2;
  private static final int ENDED = 3;

  private final ModelMetrics metrics;
  private final String model;
  private final String version;
  private final PredictionGauges.Points gauges;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger state = new AtomicInteger(NEW);

  Prediction(ModelMetrics metrics, String model, String version, PredictionGauges.Points gauges) {
    this.metrics = metrics;
    this.model = model;
    this.version = version;
    this.gauges = gauges;
  }

  /** Marks the prediction as waiting for a worker; ignored once it runs or ended. */
  public void queued() {
    if (state.compareAndSet(NEW, QUEUED) && gauges != null) {
      gauges.waiting().inc();
    }
  }

  /** Marks the prediction as taken by a worker; ignored when called again or after the end. */
  public void running() {
    int s = state.get();
    while (s == NEW || s == QUEUED) {
      if (state.compareAndSet(s, RUNNING)) {
        if (gauges != null) {
          if (s == QUEUED) {
            gauges.waiting().dec();
          }
          gauges.running().inc();
        }
        return;
      }
      s = state.get();
    }
  }

  /** Records success. */
  public void ok() {
    finish(PredictionOutcome.OK);
  }

  /** Records a model failure. */
  public void error() {
    finish(PredictionOutcome.ERROR);
  }

  /** Records a timeout. */
  public void timeout() {
    finish(PredictionOutcome.TIMEOUT);
  }

  /** Records a request the model never saw. */
  public void rejected() {
    finish(PredictionOutcome.REJECTED);
  }

  /** Records {@code outcome}; only the first call counts. */
  public void finish(PredictionOutcome outcome) {
    int previous = state.getAndSet(ENDED);
    if (previous == ENDED) {
      return;
    }
    if (gauges != null) {
      gauges.inProgress().dec();
      if (previous == QUEUED) {
        gauges.waiting().dec();
      } else if (previous == RUNNING) {
        gauges.running().dec();
      }
    }
    metrics.record(model, version, outcome, System.nanoTime() - startNanos);
  }

  /** Records {@code error} unless an outcome was recorded. */
  @Override
  public void close() {
    finish(PredictionOutcome.ERROR);
  }
}
