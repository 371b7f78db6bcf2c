package dev.inferwatch.servlet.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.models.Prediction;
import dev.inferwatch.core.models.PredictionOutcome;
import dev.inferwatch.servlet.internal.JsonBody;
import dev.inferwatch.servlet.internal.PendingAnswer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One prediction on {@link PredictServlet}'s bounded workers: whichever comes first of the model's
 * answer, our timeout, a shutdown or the client leaving settles it, exactly once, recorded with its
 * outcome in the {@code model_*} families.
 */
final class PendingPrediction extends PendingAnswer {

  private static final Logger log = LoggerFactory.getLogger(PendingPrediction.class);

  private final Prediction prediction;
  private final Predictor predictor;
  private final JsonNode input;

  PendingPrediction(
      HttpServletRequest request,
      HttpServletResponse response,
      AsyncContext async,
      InternalErrors errors,
      Prediction prediction,
      Predictor predictor,
      JsonNode input) {
    super(request, response, async, errors);
    this.prediction = prediction;
    this.predictor = predictor;
    this.input = input;
  }

  @Override
  protected void markQueued() {
    prediction.queued();
  }

  @Override
  protected void markRunning() {
    prediction.running();
  }

  @Override
  protected Answer compute() throws Exception {
    JsonNode output = predictor.predict(input);
    return new Answer(200, output, () -> prediction.finish(PredictionOutcome.OK));
  }

  @Override
  protected Answer failed(Throwable failure) {
    if (failure instanceof IllegalArgumentException) {
      String message = failure.getMessage() == null ? "invalid input" : failure.getMessage();
      return error(PredictionOutcome.REJECTED, 400, "invalid_request_error", message);
    }
    log.debug("Predictor failed", failure);
    return error(
        PredictionOutcome.ERROR,
        500,
        "server_error",
        "prediction failed (" + failure.getClass().getSimpleName() + ")");
  }

  @Override
  protected Answer timedOut() {
    return error(PredictionOutcome.TIMEOUT, 504, "timeout", "prediction timed out");
  }

  @Override
  protected Answer shutdownAnswer() {
    return error(PredictionOutcome.ERROR, 503, "shutting_down", "server is shutting down");
  }

  @Override
  protected void clientLeft() {
    // The client's doing, not the model's: never counted as a model error.
    prediction.finish(PredictionOutcome.REJECTED);
  }

  private Answer error(PredictionOutcome outcome, int status, String type, String message) {
    return new Answer(status, JsonBody.errorBody(type, message), () -> prediction.finish(outcome));
  }
}
