package dev.inferwatch.servlet.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.models.Prediction;
import dev.inferwatch.core.models.PredictionOutcome;
import dev.inferwatch.servlet.internal.JsonBody;
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

  /** Writes one answer to the response. */
  @FunctionalInterface
  private interface Answer {
    void writeTo(HttpServletResponse response) throws IOException;
  }

  private final HttpServletResponse response;
  private final AsyncContext async;
  private final Prediction prediction;
  private final InternalErrors errors;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile ScheduledFuture<?> timeout;

  private PendingPrediction(
      HttpServletResponse response, AsyncContext async, Prediction prediction, InternalErrors e) {
    this.response = response;
    this.async = async;
    this.prediction = prediction;
    this.errors = e;
  }

  /** A prediction answered on {@code async}, which is completed once the answer is written. */
  static PendingPrediction onAsync(AsyncContext async, Prediction prediction, InternalErrors e) {
    return new PendingPrediction((HttpServletResponse) async.getResponse(), async, prediction, e);
  }

  /** A prediction answered on the request thread that waits for it. */
  static PendingPrediction blocking(
      HttpServletResponse response, Prediction prediction, InternalErrors e) {
    return new PendingPrediction(response, null, prediction, e);
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
      answer(predictor.predict(input));
    } catch (IllegalArgumentException e) {
      fail(
          PredictionOutcome.REJECTED,
          400,
          "invalid_request_error",
          e.getMessage() == null ? "invalid input" : e.getMessage());
    } catch (InterruptedException e) {
      // Interrupted by expire(): the 504 is already written.
      Thread.currentThread().interrupt();
    } catch (Exception | LinkageError e) {
      log.debug("Predictor failed", e);
      fail(
          PredictionOutcome.ERROR,
          500,
          "server_error",
          "prediction failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Our timeout: answers 504 and interrupts the model; false when the answer was already out. */
  boolean expire(Future<?> task) {
    if (fail(PredictionOutcome.TIMEOUT, 504, "timeout", "prediction timed out")) {
      task.cancel(true);
      return true;
    }
    return false;
  }

  /** Answers 200 with {@code output} unless an answer was written; true when this call wrote it. */
  boolean answer(JsonNode output) {
    return complete(PredictionOutcome.OK, r -> JsonBody.write(r, 200, output));
  }

  /** Answers an error unless an answer was written; true when this call wrote it. */
  boolean fail(PredictionOutcome outcome, int status, String type, String message) {
    return complete(outcome, r -> JsonBody.error(r, status, type, message));
  }

  private boolean complete(PredictionOutcome outcome, Answer answer) {
    if (!done.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> t = timeout;
    if (t != null) {
      t.cancel(false);
    }
    prediction.finish(outcome);
    try {
      answer.writeTo(response);
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
    fail(PredictionOutcome.TIMEOUT, 504, "timeout", "prediction timed out");
  }

  @Override
  public void onError(AsyncEvent event) {
    fail(PredictionOutcome.ERROR, 500, "server_error", "request failed");
  }

  @Override
  public void onComplete(AsyncEvent event) {}

  @Override
  public void onStartAsync(AsyncEvent event) {}
}
