package dev.inferwatch.servlet.predict;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.core.models.Prediction;
import dev.inferwatch.core.models.PredictionOutcome;
import dev.inferwatch.servlet.internal.InferwatchServlet;
import dev.inferwatch.servlet.internal.JsonBody;
import dev.inferwatch.servlet.internal.RequestBodies;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /predict} and {@code /invocations} over a {@link Predictor}: JSON in and out, every
 * prediction recorded in the {@code model_*} families, the request thread released while the model
 * runs.
 *
 * <pre>{@code
 * PredictServlet predict = PredictServlet.builder(iw).predictor(sentiment)
 *     .timeout(Duration.ofSeconds(2)).maxBodyBytes(1 << 20).build();
 * ServletHolder holder = new ServletHolder(predict);
 * ServletPaths.PREDICT.forEach(path -> context.addServlet(holder, path));
 * }</pre>
 *
 * <p>Errors answer {@code {"error":{"message","type"}}}: 400 invalid JSON or missing fields, 405
 * not POST, 413 body over the limit (never buffered past it), 415 not JSON, 501 no predictor, 503
 * model not ready or workers saturated, 504 over the timeout, 500 model failure (no stack trace).
 * The no-arg constructor takes the first {@link Predictor} found through {@link ServiceLoader}. The
 * worker pool is reported as {@code executor_*{pool="predict"}}; {@link #destroy()} stops it.
 */
public class PredictServlet extends InferwatchServlet {

  /** Request bodies larger than this answer 413. */
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

  /** Predictions running longer answer 504. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Worker threads running predictions. */
  public static final int DEFAULT_THREADS = 4;

  private static final long serialVersionUID = 1L;

  private static final int QUEUE = 256;

  private transient Predictor predictor;
  private final long maxBodyBytes;
  private final long timeoutNanos;
  private final int threads;
  private transient ThreadPoolExecutor workers;
  private transient ScheduledExecutorService timer;

  /** For containers: the instance from the servlet context, the predictor from ServiceLoader. */
  public PredictServlet() {
    this(builder(null));
  }

  /** Serves {@code predictor} with the defaults. */
  public PredictServlet(Inferwatch iw, Predictor predictor) {
    this(builder(iw).predictor(predictor));
  }

  private PredictServlet(Builder builder) {
    super(builder.iw);
    this.predictor = builder.predictor;
    this.maxBodyBytes = builder.maxBodyBytes;
    this.timeoutNanos = builder.timeout.toNanos();
    this.threads = builder.threads;
  }

  /** A builder for a servlet recording into {@code iw}. */
  public static Builder builder(Inferwatch iw) {
    return new Builder(iw);
  }

  @Override
  protected void start(ServletConfig config) {
    if (predictor == null) {
      Iterator<Predictor> found = ServiceLoader.load(Predictor.class).iterator();
      predictor = found.hasNext() ? found.next() : null;
    }
    workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE),
            DaemonThreads.pool("inferwatch-predict"));
    workers.allowCoreThreadTimeOut(true);
    timer = DaemonThreads.scheduler("inferwatch-predict-timer");
    inferwatch().executors().monitor("predict", workers);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"POST".equals(request.getMethod())) {
      methodNotAllowed(response);
      return;
    }
    Predictor p = predictor;
    if (p == null) {
      JsonBody.error(response, 501, "not_implemented", "no predictor configured");
      return;
    }
    try {
      handle(request, response, p);
    } catch (RuntimeException e) {
      // A Predictor breaking its contract (model(), ready() throwing) must not reach the container.
      inferwatch().internalErrors().record("predict.spi", e);
      if (!request.isAsyncStarted() && !response.isCommitted()) {
        JsonBody.error(response, 500, "server_error", "predictor failed");
      }
    }
  }

  private void handle(HttpServletRequest request, HttpServletResponse response, Predictor p)
      throws IOException {
    String model = p.model();
    String version = p.version();
    if (!RequestBodies.isJson(request.getContentType())) {
      reject(response, model, version, 415, "unsupported_media_type", "send application/json");
      return;
    }
    byte[] body = RequestBodies.read(request, maxBodyBytes);
    if (body == null) {
      response.setHeader("Connection", "close");
      reject(
          response,
          model,
          version,
          413,
          "request_too_large",
          "body over " + maxBodyBytes + " bytes");
      return;
    }
    JsonNode input;
    try {
      input = body.length == 0 ? null : Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      reject(response, model, version, 400, "invalid_request_error", "invalid JSON");
      return;
    }
    if (input == null || !input.isObject()) {
      reject(response, model, version, 400, "invalid_request_error", "body must be a JSON object");
      return;
    }
    for (String field : p.requiredFields()) {
      if (!input.hasNonNull(field)) {
        reject(
            response,
            model,
            version,
            400,
            "invalid_request_error",
            "missing field '" + field + "'");
        return;
      }
    }
    if (!p.ready()) {
      reject(response, model, version, 503, "model_not_ready", "model " + model + " not ready");
      return;
    }
    inferwatch().models().recordBatchSize(model, p.batchSize(input));
    start(request, response, p, input);
  }

  private void start(
      HttpServletRequest request, HttpServletResponse response, Predictor p, JsonNode input) {
    Prediction prediction = inferwatch().models().start(p.model(), p.version());
    if (!request.isAsyncSupported()) {
      runBlocking(
          PendingPrediction.blocking(response, prediction, inferwatch().internalErrors()),
          p,
          input);
      return;
    }
    AsyncContext async = request.startAsync();
    // The container's own timeout only backs ours up; ours answers 504 first.
    async.setTimeout(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 10_000);
    PendingPrediction pending =
        PendingPrediction.onAsync(async, prediction, inferwatch().internalErrors());
    async.addListener(pending);
    try {
      Future<?> task = workers.submit(() -> pending.run(p, input));
      pending.timeout(
          timer.schedule(() -> pending.expire(task), timeoutNanos, TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      pending.fail(PredictionOutcome.REJECTED, 503, "overloaded", "prediction workers saturated");
    }
  }

  /** A mapping without async support: same answers, but the request thread waits. */
  private void runBlocking(PendingPrediction pending, Predictor p, JsonNode input) {
    Future<?> task;
    try {
      task = workers.submit(() -> pending.run(p, input));
    } catch (RejectedExecutionException e) {
      pending.fail(PredictionOutcome.REJECTED, 503, "overloaded", "prediction workers saturated");
      return;
    }
    try {
      task.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (!pending.expire(task)) {
        awaitQuietly(task);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.expire(task);
    } catch (ExecutionException e) {
      inferwatch().internalErrors().record("predict.run", e);
    }
  }

  /** The worker won the race and is writing its answer; the response must outlive it. */
  private static void awaitQuietly(Future<?> task) {
    try {
      task.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException ignored) {
      // Nothing more to wait for.
    }
  }

  private void reject(
      HttpServletResponse response,
      String model,
      String version,
      int status,
      String type,
      String message)
      throws IOException {
    inferwatch().models().record(model, version, PredictionOutcome.REJECTED, Duration.ZERO);
    JsonBody.error(response, status, type, message);
  }

  @Override
  protected String allowedMethods() {
    return "POST";
  }

  /** Stops the worker pool; running predictions are interrupted. */
  @Override
  protected void stop() {
    DaemonThreads.stop(timer);
    DaemonThreads.stop(workers);
  }

  /** Configures a {@link PredictServlet}; setters check their argument. */
  public static final class Builder {
    private final Inferwatch iw;
    private Predictor predictor;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int threads = DEFAULT_THREADS;

    private Builder(Inferwatch iw) {
      this.iw = iw;
    }

    /** The model to serve; without one the servlet answers 501. */
    public Builder predictor(Predictor predictor) {
      this.predictor = predictor;
      return this;
    }

    /** Bodies over this many bytes answer 413 (default 10 MiB). */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("max body bytes must be 1..2^31-9, got " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Predictions running longer answer 504 and are interrupted (default 30 s). */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Worker threads running predictions (default 4). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** The servlet. */
    public PredictServlet build() {
      return new PredictServlet(this);
    }
  }
}
