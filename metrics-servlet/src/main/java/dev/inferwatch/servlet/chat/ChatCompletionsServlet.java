package dev.inferwatch.servlet.chat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.llm.LlmRecorder;
import dev.inferwatch.servlet.internal.BodyReader;
import dev.inferwatch.servlet.internal.BoundedWorkers;
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

/**
 * An OpenAI-compatible chat endpoint ({@code POST /v1/chat/completions}, {@code /chat/completions},
 * {@code GET /v1/models}) over pluggable {@link ChatModel}s, recording the {@code gen_ai_*}
 * families of {@link LlmMetrics} for every request.
 *
 * <p>Every request runs on an async context: the body is read without blocking (at most {@link
 * Builder#maxRequestBytes}, within {@link Builder#bodyTimeout}, else 413 or 408), then the request
 * waits for one of {@link Builder#maxConcurrent} workers in a queue of {@link Builder#maxQueued},
 * as vLLM bounds its engine; past both it is refused with 429, {@code Retry-After} and OpenAI's
 * {@code rate_limit_exceeded}. A container thread is never held while a model generates. {@code
 * "stream": true} answers with Server-Sent Events. Errors are OpenAI error objects: 400 malformed
 * (trailing content included), 404 {@code model_not_found} for a model id not served (never a label
 * value; with one model served, {@code model} may be omitted), 405, 408, 413, 415, 429, 501 no
 * model or unsupported option, 503 not ready or shutting down, 504 no token within {@link
 * Builder#timeout}; after the first token a failure is an error chunk followed by {@code [DONE]}.
 * When the servlet is destroyed, streams get {@link Builder#shutdownGrace} to finish, then are cut.
 *
 * <pre>{@code
 * ServletHolder chat = new ServletHolder(new ChatCompletionsServlet(iw, model));
 * ServletPaths.CHAT.forEach(path -> context.addServlet(chat, path));
 * }</pre>
 *
 * <p>Without code (the drop-in), the models come from the context attribute {@link
 * #MODELS_ATTRIBUTE} (a {@link ChatModel} or a collection of them) and the settings {@code
 * CHAT_TIMEOUT_MS}, {@code CHAT_MAX_REQUEST_BYTES}, {@code CHAT_SHUTDOWN_GRACE_MS}, {@code
 * CHAT_MAX_CONCURRENT}, {@code CHAT_MAX_QUEUED} and {@code BODY_TIMEOUT_MS}.
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

  /** Requests generated at once ({@code INFERWATCH_CHAT_MAX_CONCURRENT}). */
  public static final int DEFAULT_MAX_CONCURRENT = 64;

  /** Requests waiting for a worker before new ones get 429 ({@code INFERWATCH_CHAT_MAX_QUEUED}). */
  public static final int DEFAULT_MAX_QUEUED = 256;

  private static final long serialVersionUID = 1L;

  private transient List<ChatModel> models;
  private long timeoutNanos;
  private long maxRequestBytes;
  private long shutdownGraceNanos;
  private long bodyTimeoutMillis;
  private int maxConcurrent;
  private int maxQueued;
  private final long created = System.currentTimeMillis() / 1000;
  private transient volatile ChatServing serving;

  /**
   * For containers that instantiate the servlet: instance, models and settings from the context.
   */
  public ChatCompletionsServlet() {
    super(null);
  }

  /** Serves {@code models} with the defaults. */
  public ChatCompletionsServlet(Inferwatch iw, ChatModel... models) {
    this(builder(iw).models(List.of(models)));
  }

  private ChatCompletionsServlet(Builder builder) {
    super(builder.iw);
    this.models = List.copyOf(builder.models);
    this.timeoutNanos = builder.timeout.toNanos();
    this.maxRequestBytes = builder.maxRequestBytes;
    this.shutdownGraceNanos = builder.shutdownGrace.toNanos();
    this.bodyTimeoutMillis = builder.bodyTimeout.toMillis();
    this.maxConcurrent = builder.maxConcurrent;
    this.maxQueued = builder.maxQueued;
  }

  /** A builder serving into {@code iw}. */
  public static Builder builder(Inferwatch iw) {
    return new Builder(iw);
  }

  @Override
  protected void start(ServletConfig config) {
    if (models == null) { // instantiated by the container: settings and models from the context
      Settings settings = ContextInferwatch.settings(config.getServletContext());
      models = modelsFrom(config.getServletContext().getAttribute(MODELS_ATTRIBUTE));
      timeoutNanos = millis(settings, "CHAT_TIMEOUT_MS", DEFAULT_TIMEOUT).toNanos();
      maxRequestBytes = settings.getInt("CHAT_MAX_REQUEST_BYTES", (int) DEFAULT_MAX_REQUEST_BYTES);
      shutdownGraceNanos =
          millis(settings, "CHAT_SHUTDOWN_GRACE_MS", DEFAULT_SHUTDOWN_GRACE).toNanos();
      bodyTimeoutMillis =
          settings.getInt("BODY_TIMEOUT_MS", (int) BodyReader.DEFAULT_TIMEOUT_MILLIS);
      maxConcurrent = settings.getInt("CHAT_MAX_CONCURRENT", DEFAULT_MAX_CONCURRENT);
      maxQueued = settings.getInt("CHAT_MAX_QUEUED", DEFAULT_MAX_QUEUED);
    }
    serving =
        new ChatServing(
            inferwatch(),
            models,
            new ChatServing.Limits(
                timeoutNanos,
                maxRequestBytes,
                shutdownGraceNanos,
                bodyTimeoutMillis,
                maxConcurrent,
                maxQueued));
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    nameRoute(request);
    try {
      if (path(request).endsWith("/models")) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
          throw methodNotAllowed(response, "GET");
        }
        respond(response, 200, ChatWire.models(models, created));
        return;
      }
      if (!"POST".equals(request.getMethod())) {
        throw methodNotAllowed(response, "POST");
      }
      ChatServing current = serving;
      current.checkServing();
      if (models.isEmpty()) {
        throw new ChatModelException(
            501, "server_error", "no chat model is configured on this server", null, "no_model");
      }
      ChatRequestReader.checkContentType(request.getContentType());
      if (!request.isAsyncSupported()) {
        throw new ChatModelException(
            500, "server_error", "the chat mapping needs async support", null, "no_async");
      }
      AsyncContext async = request.startAsync();
      // Our body deadline, token watchdog and timeouts apply; a container timeout would cut long
      // healthy streams.
      async.setTimeout(0);
      current.read(async);
    } catch (ChatModelException e) {
      ChatServing.writeError(response, e);
    }
  }

  /** Lets in-flight requests finish within the grace period, then cuts them. */
  @Override
  protected void stop() {
    serving.stop();
  }

  /** Streams in flight on this servlet (waiting ones included); 0 once every stream ended. */
  public int activeStreams() {
    ChatServing current = serving;
    return current == null ? 0 : current.activeStreams();
  }

  /** Requests generating now, streamed or not; at most {@link Builder#maxConcurrent}. */
  public int runningRequests() {
    ChatServing current = serving;
    return current == null ? 0 : current.running();
  }

  /** Requests waiting for a worker now; at most {@link Builder#maxQueued}. */
  public int waitingRequests() {
    ChatServing current = serving;
    return current == null ? 0 : current.waiting();
  }

  /** Records a finished generation with whatever usage the model reported. */
  static void finish(LlmRecorder recorder, FinishReason reason, ChatUsage usage) {
    if (usage == null) {
      recorder.finish(reason, -1, -1);
    } else {
      recorder.finish(
          reason,
          usage.promptTokens(),
          usage.completionTokens(),
          usage.cachedTokens(),
          usage.reasoningTokens());
    }
  }

  private static String path(HttpServletRequest request) {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
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

  private static void respond(HttpServletResponse response, int status, byte[] json)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }

  private static Duration millis(Settings settings, String key, Duration fallback) {
    return Duration.ofMillis(settings.getInt(key, (int) fallback.toMillis()));
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
    private Duration bodyTimeout = Duration.ofMillis(BodyReader.DEFAULT_TIMEOUT_MILLIS);
    private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
    private int maxQueued = DEFAULT_MAX_QUEUED;

    private Builder(Inferwatch iw) {
      if (iw == null) {
        throw new IllegalArgumentException("inferwatch must not be null");
      }
      this.iw = iw;
    }

    /** Adds a model; requests name it by its id (or, when it is the only one, may omit it). */
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

    /** Longest a client may take to send its request body; later it gets 408 (default 10 s). */
    public Builder bodyTimeout(Duration timeout) {
      this.bodyTimeout = BodyReader.checkTimeout(timeout);
      return this;
    }

    /** Requests generated at once, streamed or not (default 64). */
    public Builder maxConcurrent(int maxConcurrent) {
      if (maxConcurrent < 1) {
        throw new IllegalArgumentException(
            "maxConcurrent must be at least 1, got " + maxConcurrent);
      }
      this.maxConcurrent = maxConcurrent;
      return this;
    }

    /** Requests that may wait for a worker; past them new requests get 429 (default 256). */
    public Builder maxQueued(int maxQueued) {
      this.maxQueued = BoundedWorkers.checkQueued(maxQueued);
      return this;
    }

    /** The servlet. */
    public ChatCompletionsServlet build() {
      return new ChatCompletionsServlet(this);
    }
  }
}
