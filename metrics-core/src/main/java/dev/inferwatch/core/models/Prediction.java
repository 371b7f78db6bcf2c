package dev.inferwatch.core.models;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One prediction in progress: counted in {@code model_predictions_in_progress} until it ends, then
 * recorded once with its outcome and duration. Closing without an outcome records {@code error}.
 *
 * <pre>{@code
 * try (Prediction p = iw.models().start("sentiment", "v3")) {
 *   Label label = model.predict(input);
 *   p.ok();
 * }
 * }</pre>
 */
public final class Prediction implements AutoCloseable {

  private final ModelMetrics metrics;
  private final String model;
  private final String version;
  private final GaugeDataPoint inProgress;
  private final long startNanos = System.nanoTime();
  private final AtomicBoolean done = new AtomicBoolean();

  Prediction(ModelMetrics metrics, String model, String version, GaugeDataPoint inProgress) {
    this.metrics = metrics;
    this.model = model;
    this.version = version;
    this.inProgress = inProgress;
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
    if (done.compareAndSet(false, true)) {
      if (inProgress != null) {
        inProgress.dec();
      }
      metrics.record(model, version, outcome, System.nanoTime() - startNanos);
    }
  }

  /** Records {@code error} unless an outcome was recorded. */
  @Override
  public void close() {
    finish(PredictionOutcome.ERROR);
  }
}
