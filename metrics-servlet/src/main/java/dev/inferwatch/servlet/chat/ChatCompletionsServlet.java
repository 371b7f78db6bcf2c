package dev.inferwatch.servlet.chat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.llm.LlmRecorder;
import dev.inferwatch.servlet.internal.ContextInferwatch;
import dev.inferwatch.servlet.internal.InferwatchServlet;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An OpenAI-compatible chat endpoint ({@code POST /v1/chat/completions}, {@code /chat/completions},
 * {@code GET /v1/models}) over pluggable {@link ChatModel}s, recording the {@code gen_ai_*}
 * families of {@link LlmMetrics} for every request.
 *
 * <p>{@code "stream": true} answers with Server-Sent Events on an async context: the container
 * thread is released while tokens flow. Errors are OpenAI error objects: 400 malformed, 405, 413
 * too large, 415 not JSON, 501 no model or unsupported option, 503 not ready or shutting down, 504
 * no token within {@link Builder#timeout}; after the first token a failure is an error chunk
 * followed by {@code [DONE]}. A request naming an unknown model is served by the first model. When
 * the servlet is destroyed, streams get {@link Builder#shutdownGrace} to finish, then are cut.
 *
 * <pre>{@code
 * ServletHolder chat = new ServletHolder(new ChatCompletionsServlet(iw, model));
 * ServletPaths.CHAT.forEach(path -> context.addServlet(chat, path));
 * }</pre>
 *
 * <p>Without code (the drop-in), the models come from the context attribute {@link
 * #MODELS_ATTRIBUTE} (a {@link ChatModel} or a collection of them) and the settings {@code
 * CHAT_TIMEOUT_MS}, {@code CHAT_MAX_REQUEST_BYTES}, {@code CHAT_SHUTDOWN_GRACE_MS}.
 */
public class ChatCompletionsServlet extends InferwatchServlet {

  /**
   * Context attribute holding the {@link ChatModel} (or models) of a servlet built without code.
   */
  // The class's name before the servlet pack was split into packages: hosts set it by name.
  public static final String MODELS_ATTRIBUTE = "dev.inferwatch.servlet.ChatModel";

  /** Longest wait for the first token (streams: and between tokens; otherwise the whole answer). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Largest accepted request body. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  /** How long a destroyed servlet lets streams finish before it cuts them. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private static final long serialVersionUID = 1L;
  private static final long WATCHDOG_PERIOD_MILLIS = 100;

  private transient List<ChatModel> models;
  private long timeoutNanos;
  private long maxRequestBytes;
  private long shutdownGraceNanos;
  private final long created = System.currentTimeMillis() / 1000;
  private final transient Set<ChatStream> inflight = ConcurrentHashMap.newKeySet();
  private transient ExecutorService workers;
  private transient ScheduledExecutorService watchdog;
  private volatile boolean shuttingDown;

  /**
   * For containers that instantiate the servlet: instance, models and settings from the context.
   */
  public ChatCompletionsServlet() {
    super(null);
  }

  /** Serves {@code models} (the first one answers unknown model ids) with the defaults. */
  public ChatCompletionsServlet(Inferwatch iw, ChatModel... models) {
    this(builder(iw).models(List.of(models)));
  }

  private ChatCompletionsServlet(Builder builder) {
    super(builder.iw);
    this.models = List.copyOf(builder.models);
    this.timeoutNanos = builder.timeout.toNanos();
    this.maxRequestBytes = builder.maxRequestBytes;
    this.shutdownGraceNanos = builder.shutdownGrace.toNanos();
  }

  /** A builder serving into {@code iw}. */
  public static Builder builder(Inferwatch iw) {
    return new Builder(iw);
  }

  @Override
  protected void start(ServletConfig config) {
    shuttingDown = false;
    if (models == null) { // instantiated by the container: settings and models from the context
      Settings settings = ContextInferwatch.settings(config.getServletContext());
      models = modelsFrom(config.getServletContext().getAttribute(MODELS_ATTRIBUTE));
      timeoutNanos = millis(settings, "CHAT_TIMEOUT_MS", DEFAULT_TIMEOUT).toNanos();
      maxRequestBytes =
          settings.getInt(
              "CHAT_MAX_REQUEST_BYTES", (int) DEFAULT_MAX_REQUEST_BYTES, 1, Integer.MAX_VALUE);
      shutdownGraceNanos =
          millis(settings, "CHAT_SHUTDOWN_GRACE_MS", DEFAULT_SHUTDOWN_GRACE).toNanos();
    }
    for (ChatModel model : models) {
      inferwatch().llm().allowModel(model.id());
    }
    workers = Executors.newCachedThreadPool(DaemonThreads.pool("inferwatch-chat"));
    watchdog = DaemonThreads.scheduler("inferwatch-chat-watch");
    watchdog.scheduleWithFixedDelay(
        this::checkTimeouts, WATCHDOG_PERIOD_MILLIS, WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    try {
      if (path.endsWith("/models")) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
          throw methodNotAllowed(response, "GET");
        }
        respond(response, 200, ChatWire.models(models, created));
        return;
      }
      if (!"POST".equals(request.getMethod())) {
        throw methodNotAllowed(response, "POST");
      }
      if (shuttingDown) {
        throw ChatModelException.notReady("server is shutting down");
      }
      if (models.isEmpty()) {
        throw new ChatModelException(
            501, "server_error", "no chat model is configured on this server", null, "no_model");
      }
      ChatRequestReader.Parsed parsed = ChatRequestReader.read(request, maxRequestBytes);
      ChatModel model = select(parsed.request().model());
      if (!model.ready()) {
        throw ChatModelException.notReady("model " + model.id() + " is not ready");
      }
      if (parsed.request().stream()) {
        stream(request, model, parsed);
      } else {
        complete(response, model, parsed);
      }
    } catch (ChatModelException e) {
      error(response, e.status(), e.type(), e.param(), e.code(), e.getMessage());
    }
  }

  private void complete(HttpServletResponse response, ChatModel model, ChatRequestReader.Parsed p)
      throws IOException {
    ChatRequest request = p.request();
    LlmRecorder recorder =
        inferwatch().llm().serve(model.provider(), request.model(), LlmMetrics.CHAT, false);
    Future<ChatCompletion> answer = workers.submit(() -> model.complete(request));
    ChatCompletion completion;
    try {
      completion = answer.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      recorder.fail("timeout", "no answer within the timeout");
      throw new ChatModelException(
          504, "server_error", "no answer within the timeout", null, "timeout");
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      recorder.fail("interrupted", "server is shutting down");
      throw ChatModelException.notReady("server is shutting down");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      recorder.fail(cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()));
      if (cause instanceof ChatModelException chatError) {
        throw chatError;
      }
      throw new ChatModelException(
          500, "server_error", String.valueOf(cause.getMessage()), null, "model_error");
    }
    ChatUsage usage = completion.usage();
    FinishReason reason =
        completion.finishReason() == null ? FinishReason.STOP : completion.finishReason();
    recorder.finish(
        reason,
        usage == null ? -1 : usage.promptTokens(),
        usage == null ? -1 : usage.completionTokens());
    ChatWire wire = new ChatWire(newId(), now(), request.model(), false);
    respond(response, 200, wire.completion(completion));
  }

  private void stream(HttpServletRequest request, ChatModel model, ChatRequestReader.Parsed p) {
    ChatRequest chat = p.request();
    AsyncContext async = request.startAsync();
    // The watchdog enforces the token timeout; a container timeout would cut long healthy streams.
    async.setTimeout(0);
    LlmRecorder recorder =
        inferwatch().llm().serve(model.provider(), chat.model(), LlmMetrics.CHAT, true);
    ChatWire wire = new ChatWire(newId(), now(), chat.model(), p.includeUsage());
    ChatStream stream =
        new ChatStream(async, wire, recorder, this, inferwatch().internalErrors(), timeoutNanos);
    async.addListener(stream);
    inflight.add(stream);
    try {
      workers.execute(
          () -> {
            try {
              model.stream(chat, stream);
            } catch (RuntimeException | LinkageError e) {
              stream.error(e);
            }
          });
    } catch (RuntimeException e) {
      stream.error(ChatModelException.notReady("server is shutting down"));
    }
  }

  /** Lets in-flight streams finish within the grace period, then cuts them with an error chunk. */
  @Override
  protected void stop() {
    shuttingDown = true;
    long deadline = System.nanoTime() + shutdownGraceNanos;
    while (!inflight.isEmpty() && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (ChatStream stream : new ArrayList<>(inflight)) {
      stream.shutDown();
    }
    DaemonThreads.stop(watchdog);
    DaemonThreads.stop(workers);
  }

  /** Streams in flight on this servlet; 0 once every stream ended. */
  public int activeStreams() {
    return inflight.size();
  }

  void forget(ChatStream stream) {
    inflight.remove(stream);
  }

  private void checkTimeouts() {
    long now = System.nanoTime();
    for (ChatStream stream : inflight) {
      try {
        stream.checkTimeout(now);
      } catch (RuntimeException e) {
        inferwatch().internalErrors().record("chat.watchdog", e);
      }
    }
  }

  private ChatModel select(String id) {
    for (ChatModel model : models) {
      if (model.id().equals(id)) {
        return model;
      }
    }
    return models.get(0);
  }

  private static ChatModelException methodNotAllowed(HttpServletResponse response, String allow) {
    response.setHeader("Allow", allow);
    return new ChatModelException(
        405,
        "invalid_request_error",
        "method not allowed; use " + allow,
        null,
        "method_not_allowed");
  }

  private static void error(
      HttpServletResponse response,
      int status,
      String type,
      String param,
      String code,
      String message)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    respond(response, status, ChatWire.bytes(ChatWire.error(message, type, param, code)));
  }

  private static void respond(HttpServletResponse response, int status, byte[] json)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }

  private static String newId() {
    return "chatcmpl-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static Duration millis(Settings settings, String key, Duration fallback) {
    return Duration.ofMillis(settings.getInt(key, (int) fallback.toMillis(), 1, Integer.MAX_VALUE));
  }

  private static List<ChatModel> modelsFrom(Object attribute) {
    List<ChatModel> out = new ArrayList<>();
    if (attribute instanceof ChatModel model) {
      out.add(model);
    } else if (attribute instanceof Collection<?> collection) {
      for (Object o : collection) {
        if (o instanceof ChatModel model) {
          out.add(model);
        }
      }
    }
    return List.copyOf(out);
  }

  /** Configures a {@link ChatCompletionsServlet}. */
  public static final class Builder {
    private final Inferwatch iw;
    private final List<ChatModel> models = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

    private Builder(Inferwatch iw) {
      if (iw == null) {
        throw new IllegalArgumentException("inferwatch must not be null");
      }
      this.iw = iw;
    }

    /** Adds a model; the first one added also answers requests for unknown model ids. */
    public Builder model(ChatModel model) {
      if (model == null) {
        throw new IllegalArgumentException("model must not be null");
      }
      models.add(model);
      return this;
    }

    /** Adds every model of {@code models}, in order. */
    public Builder models(List<ChatModel> models) {
      models.forEach(this::model);
      return this;
    }

    /** Longest wait for the first token, between tokens, or (not streaming) for the answer. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Largest accepted request body in bytes; larger ones get 413. */
    public Builder maxRequestBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxRequestBytes must be positive, got " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /** How long a destroyed servlet lets streams finish before cutting them. */
    public Builder shutdownGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must be zero or positive, got " + grace);
      }
      this.shutdownGrace = grace;
      return this;
    }

    /** The servlet. */
    public ChatCompletionsServlet build() {
      return new ChatCompletionsServlet(this);
    }
  }
}
