package dev.inferwatch.servlet.predict;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The model behind {@link PredictServlet}: JSON object in, JSON out.
 *
 * <pre>{@code
 * Predictor sentiment = new Predictor() {
 *   public String model() { return "sentiment"; }
 *   public List<String> requiredFields() { return List.of("instances"); }
 *   public JsonNode predict(JsonNode request) { return score(request.get("instances")); }
 * };
 * }</pre>
 *
 * <p>Implementers: {@link #predict} runs on the servlet's worker pool and is interrupted when it
 * exceeds the timeout; throw {@link IllegalArgumentException} for input the model cannot use (the
 * client gets 400 with the message), anything else reads as a model failure (500, the message is
 * not shown). Other methods must be fast and must not throw.
 */
public interface Predictor {

  /** The {@code model} label of the prediction families. */
  String model();

  /** The {@code version} label; {@code null} reads as {@code unknown}. */
  default String version() {
    return null;
  }

  /** Whether the model can serve now; false answers 503. */
  default boolean ready() {
    return true;
  }

  /** Top-level fields the request object must have; a missing one answers 400. */
  default List<String> requiredFields() {
    return List.of();
  }

  /** Instances in {@code request}, for {@code model_batch_size}: the {@code instances} array. */
  default int batchSize(JsonNode request) {
    JsonNode instances = request.get("instances");
    return instances != null && instances.isArray() ? instances.size() : 1;
  }

  /** The prediction for {@code request} (a JSON object that has the required fields). */
  JsonNode predict(JsonNode request) throws Exception;
}
