package dev.inferwatch.servlet.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.models.Prediction;
import dev.inferwatch.core.models.PredictionOutcome;
import dev.inferwatch.servlet.internal.BodyReader;
import dev.inferwatch.servlet.internal.BoundedWorkers;
import dev.inferwatch.servlet.internal.ClientGone;
import dev.inferwatch.servlet.internal.ContextInferwatch;
import dev.inferwatch.servlet.internal.InferwatchServlet;
import dev.inferwatch.servlet.internal.JsonBody;
import dev.inferwatch.servlet.internal.JsonProblems;
import dev.inferwatch.servlet.internal.RequestBodies;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code POST /predict} and {@code /invocations} over a {@link Predictor}: JSON in and out, every
 * prediction recorded in the {@code model_*} families, the request thread released at once.
 *
 * <pre>{@code
 * PredictServlet predict = PredictServlet.builder(iw).predictor(sentiment)
 *     .timeout(Duration.ofSeconds(2)).maxBodyBytes(1 << 20).build();
 * ServletHolder holder = new ServletHolder(predict);
 * ServletPaths.PREDICT.forEach(path -> context.addServlet(holder, path));
 * }</pre>
 *
 * <p>The body is read without blocking on the async context (at most {@link Builder#maxBodyBytes},
 * within {@link Builder#bodyTimeout}); the prediction then runs on one of {@link
 * Builder#maxConcurrent} workers, waiting in a queue of {@link Builder#maxQueued}; past both it is
 * refused with 429 and {@code Retry-After}. Waiting and running predictions are counted in {@code
 * model_predictions_waiting} and {@code model_predictions_running}. Errors answer {@code
 * {"error":{"message","type"}}}: 400 invalid JSON (trailing content included) or missing fields,
 * 405 not POST, 408 body not received in time, 413 body over the limit (never buffered past it),
 * 415 not JSON, 429 at capacity, 501 no predictor, 503 model not ready or shutting down, 504 over
 * the timeout, 500 model failure (no stack trace). The no-arg constructor takes the first {@link
 * Predictor} found through {@link ServiceLoader} and the settings {@code PREDICT_MAX_CONCURRENT},
 * {@code PREDICT_MAX_QUEUED} and {@code BODY_TIMEOUT_MS}. The worker threads are reported as {@code
 * executor_*{pool="predict"}}; {@link #destroy()} stops them.
 */
public class PredictServlet extends InferwatchServlet {

  /** Request bodies larger than this answer 413. */
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

  /** Predictions running longer answer 504. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Predictions running at once. */
  public static final int DEFAULT_THREADS = 4;

  /** Predictions waiting for a worker before new ones get 429. */
  public static final int DEFAULT_MAX_QUEUED = 256;

  /** What a 429 asks the client to wait, in seconds. */
  static final int RETRY_AFTER_SECONDS = 1;

  private static final long serialVersionUID = 1L;

  // Set on a request whose prediction started: its answer completes the async context, not us.
  private static final String STARTED = PredictServlet.class.getName() + ".started";

  private transient Predictor predictor;
  private final long maxBodyBytes;
  private final long timeoutNanos;
  private final boolean fromSettings;
  private int threads;
  private int maxQueued;
  private long bodyTimeoutMillis;
  private transient BoundedWorkers workers;
  private transient ScheduledExecutorService timer;

  /** For containers: the instance from the servlet context, the predictor from ServiceLoader. */
  public PredictServlet() {
    this(builder(null), true);
  }

  /** Serves {@code predictor} with the defaults. */
  public PredictServlet(Inferwatch iw, Predictor predictor) {
    this(builder(iw).predictor(predictor), false);
  }

  private PredictServlet(Builder builder, boolean fromSettings) {
    super(builder.iw);
    this.predictor = builder.predictor;
    this.maxBodyBytes = builder.maxBodyBytes;
    this.timeoutNanos = builder.timeout.toNanos();
    this.threads = builder.threads;
    this.maxQueued = builder.maxQueued;
    this.bodyTimeoutMillis = builder.bodyTimeout.toMillis();
    this.fromSettings = fromSettings;
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
    if (fromSettings) {
      Settings settings = ContextInferwatch.settings(config.getServletContext());
      threads = settings.getInt("PREDICT_MAX_CONCURRENT", DEFAULT_THREADS);
      maxQueued = settings.getInt("PREDICT_MAX_QUEUED", DEFAULT_MAX_QUEUED);
      bodyTimeoutMillis =
          settings.getInt("BODY_TIMEOUT_MS", (int) BodyReader.DEFAULT_TIMEOUT_MILLIS);
    }
    workers = new BoundedWorkers("inferwatch-predict", threads, maxQueued);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.single("inferwatch-predict-timer"));
    inferwatch().executors().monitor("predict", workers.threads());
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    nameRoute(request);
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
    if (!RequestBodies.isJson(request.getContentType())) {
      reject(response, p, 415, "unsupported_media_type", "send application/json");
      return;
    }
    if (!request.isAsyncSupported()) {
      handleBlocking(request, response, p);
      return;
    }
    AsyncContext async = request.startAsync();
    // Our body deadline and prediction timeout apply; the container's would only race them.
    async.setTimeout(0);
    BodyReader.read(
        async,
        maxBodyBytes,
        bodyTimeoutMillis,
        timer,
        new BodyReader.Handler() {
          @Override
          public void received(byte[] body) {
            try {
              accept(request, response, async, p, body);
            } catch (RuntimeException e) {
              inferwatch().internalErrors().record("predict.spi", e);
              writeQuietly(response, 500, "server_error", "predictor failed");
            } finally {
              if (!started(request)) {
                async.complete();
              }
            }
          }

          @Override
          public void refused(int status, String message) {
            String type = status == 413 ? "request_too_large" : "request_timeout";
            rejectQuietly(response, p, status, type, message);
          }
        });
  }

  /** A mapping without async support: same answers, but the request thread reads and waits. */
  private void handleBlocking(HttpServletRequest request, HttpServletResponse response, Predictor p)
      throws IOException {
    byte[] body;
    try {
      body = BodyReader.readBlocking(request, maxBodyBytes);
    } catch (IOException e) {
      ClientGone.mark(request);
      response.setStatus(ClientGone.STATUS);
      return;
    }
    if (body == null) {
      response.setHeader("Connection", "close");
      reject(response, p, 413, "request_too_large", BodyReader.tooLarge(maxBodyBytes));
      return;
    }
    accept(request, response, null, p, body);
  }

  /** The whole body is here: parse, check, admit, and start the prediction or refuse it. */
  private void accept(
      HttpServletRequest request,
      HttpServletResponse response,
      AsyncContext async,
      Predictor p,
      byte[] body) {
    JsonNode input;
    try {
      input = JsonProblems.read(body);
    } catch (JsonProblems.Unreadable e) {
      rejectQuietly(response, p, 400, "invalid_request_error", e.getMessage());
      return;
    }
    if (input == null || !input.isObject()) {
      rejectQuietly(response, p, 400, "invalid_request_error", "body must be a JSON object");
      return;
    }
    for (String field : p.requiredFields()) {
      if (!input.hasNonNull(field)) {
        rejectQuietly(response, p, 400, "invalid_request_error", "missing field '" + field + "'");
        return;
      }
    }
    if (!p.ready()) {
      rejectQuietly(response, p, 503, "model_not_ready", "model " + p.model() + " not ready");
      return;
    }
    inferwatch().models().recordBatchSize(p.model(), p.batchSize(input));
    BoundedWorkers.Slot slot = workers.admit();
    if (slot == null) {
      response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      rejectQuietly(
          response,
          p,
          429,
          "rate_limit_exceeded",
          "prediction workers at capacity ("
              + threads
              + " running, "
              + maxQueued
              + " waiting); retry after "
              + RETRY_AFTER_SECONDS
              + " s");
      return;
    }
    Prediction prediction = inferwatch().models().start(p.model(), p.version());
    PendingPrediction pending =
        new PendingPrediction(
            request, response, async, inferwatch().internalErrors(), prediction, p, input);
    request.setAttribute(STARTED, Boolean.TRUE);
    pending.timeout(timer, timeoutNanos);
    pending.start(slot);
    if (async == null) {
      pending.awaitAnswer();
    }
  }

  private static boolean started(HttpServletRequest request) {
    try {
      return Boolean.TRUE.equals(request.getAttribute(STARTED));
    } catch (RuntimeException e) {
      return true;
    }
  }

  private void reject(
      HttpServletResponse response, Predictor p, int status, String type, String message)
      throws IOException {
    inferwatch().models().record(p.model(), p.version(), PredictionOutcome.REJECTED, Duration.ZERO);
    JsonBody.error(response, status, type, message);
  }

  private void rejectQuietly(
      HttpServletResponse response, Predictor p, int status, String type, String message) {
    try {
      reject(response, p, status, type, message);
    } catch (IOException | IllegalStateException e) {
      // The client went away before its answer.
    }
  }

  private static void writeQuietly(
      HttpServletResponse response, int status, String type, String message) {
    try {
      if (!response.isCommitted()) {
        JsonBody.error(response, status, type, message);
      }
    } catch (IOException | RuntimeException e) {
      // The client went away before its answer.
    }
  }

  @Override
  protected String allowedMethods() {
    return "POST";
  }

  /** Stops the workers; waiting predictions get 503, running ones are interrupted. */
  @Override
  protected void stop() {
    // The timer first: the workers' wait below outlasts its thread's exit.
    DaemonThreads.stop(timer);
    workers.close();
  }

  /** Configures a {@link PredictServlet}; setters check their argument. */
  public static final class Builder {
    private final Inferwatch iw;
    private Predictor predictor;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int threads = DEFAULT_THREADS;
    private int maxQueued = DEFAULT_MAX_QUEUED;
    private Duration bodyTimeout = Duration.ofMillis(BodyReader.DEFAULT_TIMEOUT_MILLIS);

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

    /** Predictions running at once, each on its own worker thread (default 4). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Predictions running at once; the same as {@link #threads}. */
    public Builder maxConcurrent(int maxConcurrent) {
      return threads(maxConcurrent);
    }

    /** Predictions that may wait for a worker; past them new ones get 429 (default 256). */
    public Builder maxQueued(int maxQueued) {
      this.maxQueued = BoundedWorkers.checkQueued(maxQueued);
      return this;
    }

    /** Longest a client may take to send its request body; later it gets 408 (default 10 s). */
    public Builder bodyTimeout(Duration timeout) {
      this.bodyTimeout = BodyReader.checkTimeout(timeout);
      return this;
    }

    /** The servlet. */
    public PredictServlet build() {
      return new PredictServlet(this, false);
    }
  }
}
