package dev.inferwatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferwatch.servlet.predict.Predictor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted stand-in for a model behind {@code PredictServlet}, for hosts' tests and demos.
 *
 * <p>The request needs {@code instances}, an array of strings; each string is scored by its length
 * (odd 1, even 0), so answers are deterministic. Some instances script a behaviour: {@code "hang"}
 * blocks until {@link #release()} (or the servlet's timeout interrupts it), {@code "linger"} blocks
 * the same way and needs 200 ms to stop once interrupted (as a real model's cleanup would), {@code
 * "fail"} throws an exception whose message must never reach the client. Anything but a string is
 * refused with {@link IllegalArgumentException} (the servlet answers 400).
 *
 * <pre>{@code
 * FakePredictor model = FakePredictor.builder().model("sentiment").version("v1")
 *     .latency(Duration.ofMillis(20)).build();
 * context.addServlet(new ServletHolder(new PredictServlet(iw, model)), ServletPaths.PREDICT.get(0));
 * model.ready(false);   // the servlet answers 503 until ready(true)
 * }</pre>
 */
public final class FakePredictor implements Predictor {

  /** The model label by default. */
  public static final String DEFAULT_MODEL = "fake-predictor";

  /** The message of the {@code "fail"} instance's exception; a client must never see it. */
  public static final String SECRET = "secret internal detail";

  private final String model;
  private final String version;
  private final long latencyNanos;
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicLong predictions = new AtomicLong();
  private volatile boolean ready = true;
  private volatile String lastThread;

  private FakePredictor(Builder builder) {
    this.model = builder.model;
    this.version = builder.version;
    this.latencyNanos = builder.latency.toNanos();
  }

  /** A builder with the defaults: {@value #DEFAULT_MODEL}, no version, no latency. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  /** Makes the model ready or not; while not ready the servlet answers 503. */
  public FakePredictor ready(boolean ready) {
    this.ready = ready;
    return this;
  }

  @Override
  public List<String> requiredFields() {
    return List.of("instances");
  }

  @Override
  public JsonNode predict(JsonNode request) throws Exception {
    lastThread = Thread.currentThread().getName();
    JsonNode instances = request.get("instances");
    if (!instances.isArray()) {
      throw new IllegalArgumentException("instances must be an array of strings");
    }
    if (latencyNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(latencyNanos);
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (JsonNode instance : instances) {
      if (!instance.isTextual()) {
        throw new IllegalArgumentException("instances must be an array of strings");
      }
      script(instance.asText());
      out.withArray("predictions").add(instance.asText().length() % 2);
    }
    predictions.incrementAndGet();
    return out;
  }

  private void script(String instance) throws InterruptedException {
    switch (instance) {
      case "hang" -> release.await(30, TimeUnit.SECONDS);
      case "linger" -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.sleep(200);
          throw e;
        }
      }
      case "fail" -> throw new IllegalStateException(SECRET);
      default -> {
        // An ordinary instance.
      }
    }
  }

  /** Lets every {@code "hang"} and {@code "linger"} instance go on; call it when a test ends. */
  public void release() {
    release.countDown();
  }

  /** Predictions answered so far. */
  public long predictions() {
    return predictions.get();
  }

  /** The name of the thread that ran the last prediction, or null before the first. */
  public String lastThread() {
    return lastThread;
  }

  /** Configures a {@link FakePredictor}. */
  public static final class Builder {
    private String model = DEFAULT_MODEL;
    private String version;
    private Duration latency = Duration.ZERO;

    private Builder() {}

    /** The {@code model} label. */
    public Builder model(String model) {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.model = model;
      return this;
    }

    /** The {@code version} label; null reads as {@code unknown}. */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** How long each prediction takes before it answers. */
    public Builder latency(Duration latency) {
      if (latency == null || latency.isNegative()) {
        throw new IllegalArgumentException("latency must be zero or positive, got " + latency);
      }
      this.latency = latency;
      return this;
    }

    /** The predictor. */
    public FakePredictor build() {
      return new FakePredictor(this);
    }
  }
}
