package dev.inferwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.models.ModelLifecycle;
import dev.inferwatch.servlet.predict.Predictor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's fake model: a deterministic word-list sentiment scorer behind {@code /predict}, loaded
 * through {@link Inferwatch#models()} lifecycle with a simulated load delay.
 *
 * <p>{@code DEMO_MODEL_LOAD_MS} (default 2000) is the load time, {@code DEMO_PREDICT_MS} (default
 * 20) the mean prediction time and {@code DEMO_PREDICT_FAIL_RATE} (default 0.02) the share of
 * predictions that fail. {@code POST /health/model/reload} loads it again.
 */
final class DemoModel implements Predictor {

  private static final Map<String, Double> WORDS =
      Map.of(
          "good",
          1.0,
          "great",
          1.5,
          "love",
          1.5,
          "fast",
          0.5,
          "excellent",
          2.0,
          "bad",
          -1.0,
          "awful",
          -2.0,
          "slow",
          -0.5,
          "broken",
          -1.5,
          "hate",
          -1.5);

  private final ModelLifecycle<Map<String, Double>> lifecycle;
  private final long predictMillis;
  private final double failRate;

  private DemoModel(ModelLifecycle<Map<String, Double>> lifecycle, long predictMs, double fail) {
    this.lifecycle = lifecycle;
    this.predictMillis = predictMs;
    this.failRate = fail;
  }

  /** Starts loading the model in the background and returns the predictor over it. */
  static DemoModel start(Inferwatch iw) {
    long loadMillis = DemoServer.number("DEMO_MODEL_LOAD_MS", 2000, 0, 600_000);
    ModelLifecycle<Map<String, Double>> lifecycle =
        iw.models()
            .lifecycle(
                "sentiment",
                () -> {
                  Thread.sleep(loadMillis);
                  return WORDS;
                })
            .version("v1")
            .framework("word-list");
    lifecycle.loadAsync();
    return new DemoModel(
        lifecycle,
        DemoServer.number("DEMO_PREDICT_MS", 20, 0, 60_000),
        DemoServer.ENV.get(
            "DEMO_PREDICT_FAIL_RATE",
            0.02,
            text -> {
              double rate = Double.parseDouble(text);
              return rate >= 0 && rate <= 1 ? rate : null;
            },
            "not a number between 0 and 1"));
  }

  @Override
  public String model() {
    return lifecycle.name();
  }

  @Override
  public String version() {
    return lifecycle.version();
  }

  @Override
  public boolean ready() {
    return lifecycle.serving();
  }

  @Override
  public List<String> requiredFields() {
    return List.of("instances");
  }

  @Override
  public JsonNode predict(JsonNode request) throws Exception {
    JsonNode instances = request.get("instances");
    if (!instances.isArray()) {
      throw new IllegalArgumentException("'instances' must be an array of strings");
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (predictMillis > 0) {
      Thread.sleep(random.nextLong(predictMillis / 2, predictMillis * 3 / 2 + 1));
    }
    if (random.nextDouble() < failRate) {
      throw new IllegalStateException("the demo model failed on purpose");
    }
    Map<String, Double> words = lifecycle.model();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("model", model()).put("version", version());
    for (JsonNode instance : instances) {
      if (!instance.isTextual()) {
        throw new IllegalArgumentException("'instances' must be an array of strings");
      }
      double score = 0;
      for (String word : instance.asText().toLowerCase(Locale.ROOT).split("\\W+")) {
        score += words.getOrDefault(word, 0.0);
      }
      out.withArray("predictions")
          .addObject()
          .put("label", score > 0 ? "positive" : score < 0 ? "negative" : "neutral")
          .put("score", score);
    }
    return out;
  }
}
