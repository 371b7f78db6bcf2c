package dev.inferwatch.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.InternalErrors;
import dev.inferwatch.core.Prediction;
import dev.inferwatch.core.PredictionOutcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One prediction on {@link PredictServlet}'s async context (or, where the mapping is not
 * async-supported, on the blocked request thread): whichever comes first of the model's answer, our
 * timeout or the container's writes the response, exactly once.
 */
final class PendingPrediction implements AsyncListener {

  private static final Logger log = LoggerFactory.getLogger(PendingPrediction.class);

  private final AsyncContext async;
  private final HttpServletResponse syncResponse;
  private final Prediction prediction;
  private final InternalErrors errors;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile ScheduledFuture<?> timeout;

  PendingPrediction(
      AsyncContext async,
      HttpServletResponse syncResponse,
      Prediction prediction,
      InternalErrors errors) {
    this.async = async;
    this.syncResponse = syncResponse;
    this.prediction = prediction;
    this.errors = errors;
  }

  void timeout(ScheduledFuture<?> timeout) {
    this.timeout = timeout;
    if (done.get()) {
      timeout.cancel(false);
    }
  }

  /** Runs on a worker thread. */
  void run(Predictor predictor, JsonNode input) {
    try {
      JsonNode output = predictor.predict(input);
      finish(PredictionOutcome.OK, 200, output, null, null);
    } catch (IllegalArgumentException e) {
      finish(
          PredictionOutcome.REJECTED,
          400,
          null,
          "invalid_request_error",
          e.getMessage() == null ? "invalid input" : e.getMessage());
    } catch (InterruptedException e) {
      // Interrupted by expire(): the 504 is already written.
      Thread.currentThread().interrupt();
    } catch (Exception | LinkageError e) {
      log.debug("Predictor failed", e);
      finish(
          PredictionOutcome.ERROR,
          500,
          null,
          "server_error",
          "prediction failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Our timeout: answers 504 and interrupts the model; false when the answer was already out. */
  boolean expire(Future<?> task) {
    if (finish(PredictionOutcome.TIMEOUT, 504, null, "timeout", "prediction timed out")) {
      task.cancel(true);
      return true;
    }
    return false;
  }

  /** Writes the answer unless one was written; true when this call wrote it. */
  boolean finish(
      PredictionOutcome outcome, int status, JsonNode body, String type, String message) {
    if (!done.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> t = timeout;
    if (t != null) {
      t.cancel(false);
    }
    prediction.finish(outcome);
    try {
      HttpServletResponse response =
          async == null ? syncResponse : (HttpServletResponse) async.getResponse();
      if (body != null) {
        JsonBody.write(response, status, body);
      } else {
        JsonBody.error(response, status, type, message);
      }
    } catch (IOException | IllegalStateException e) {
      // The client went away or the container already ended the exchange; nothing to answer.
      log.debug("Could not write the prediction answer: {}", e.toString());
    } catch (RuntimeException e) {
      errors.record("predict.write", e);
    } finally {
      if (async != null) {
        try {
          async.complete();
        } catch (IllegalStateException ignored) {
          // Already completed by the container (its own timeout or error).
        }
      }
    }
    return true;
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    finish(PredictionOutcome.TIMEOUT, 504, null, "timeout", "prediction timed out");
  }

  @Override
  public void onError(AsyncEvent event) {
    finish(PredictionOutcome.ERROR, 500, null, "server_error", "request failed");
  }

  @Override
  public void onComplete(AsyncEvent event) {}

  @Override
  public void onStartAsync(AsyncEvent event) {}
}
