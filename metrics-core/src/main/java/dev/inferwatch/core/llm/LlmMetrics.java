package dev.inferwatch.core.llm;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import dev.inferwatch.core.internal.TraceExemplars;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LLM families (OpenTelemetry {@code gen_ai.*}): serving-side recorders for requests and
 * streams, and client-side handles for calls to providers.
 *
 * <p>A served request gets an {@link LlmRecorder} whose per-token call allocates nothing; its
 * tokens go to {@code gen_ai_server_token_usage}. An outbound call gets an {@link LlmCall}; its
 * tokens go to {@code gen_ai_client_token_usage}, so a gateway that serves and calls providers
 * keeps the two apart. Model, provider and operation values pass a cardinality guard: configured
 * model ids ({@link #allowModel}) keep their own series, unknown ones fold into {@code
 * __overflow__} past {@link #DEFAULT_MAX_MODELS}.
 *
 * <pre>{@code
 * LlmRecorder r = iw.llm().serve("local", request.model(), LlmMetrics.CHAT, true);
 * r.running();                                 // a worker took it
 * r.token();                                   // once per streamed chunk
 * r.finish(FinishReason.STOP, promptTokens, completionTokens);
 *
 * try (LlmCall call = iw.llm().call("openai", "gpt-4o", LlmMetrics.CHAT)) {
 *   Response response = client.send(request);
 *   call.usage(response.inputTokens(), response.outputTokens());
 * }
 * }</pre>
 */
public final class LlmMetrics {

  /** Distinct {@code model} values before folding into {@code __overflow__}. */
  public static final int DEFAULT_MAX_MODELS = 50;

  /** Distinct {@code provider} values before folding. */
  public static final int DEFAULT_MAX_PROVIDERS = 30;

  /** The {@code operation} of chat completions, after OpenTelemetry's {@code gen_ai.operation}. */
  public static final String CHAT = "chat";

  private static final int MAX_OPERATIONS = 20;
  private static final int MAX_ERROR_TYPES = 30;

  final Histogram serverDuration;
  final Histogram timeToFirstToken;
  final Histogram timePerOutputToken;
  final Histogram interTokenLatency;
  final Histogram queueTime;
  final Histogram maxTokens;
  final Histogram serverTokens;
  final Histogram clientDuration;
  final Histogram timeToFirstChunk;
  final Histogram timePerOutputChunk;
  final Histogram clientTokens;
  final Counter serverRequests;
  final Counter usageMissing;
  final Gauge streamsActive;
  final Gauge running;
  final Gauge waiting;
  final Counter disconnects;
  final LabelGuard errorTypes;
  final InternalErrors internalErrors;
  final EventJournal events;
  private final LabelGuard models;
  private final LabelGuard providers;
  private final LabelGuard operations;
  private final Map<String, LlmServerSeries> serverSeries = new ConcurrentHashMap<>();
  private final Map<String, LlmClientSeries> clientSeries = new ConcurrentHashMap<>();

  /** Registers the families; built by {@code Inferwatch}, not by applications. */
  public LlmMetrics(
      Naming names,
      PrometheusRegistry registry,
      Cardinality cardinality,
      InternalErrors internalErrors,
      EventJournal events) {
    this.internalErrors = internalErrors;
    this.events = events;
    String[] tuple = {"operation", "provider", "model"};
    String[] withError = {"operation", "provider", "model", "error_type"};
    String[] withTokenType = {"operation", "provider", "model", "token_type"};
    this.serverDuration =
        histogram(
                names, MetricNames.GEN_AI_SERVER_DURATION, "Duration of served generation requests")
            .labelNames(withError)
            .classicUpperBounds(Buckets.GEN_AI_DURATION_SECONDS)
            .register(registry);
    this.timeToFirstToken =
        histogram(
                names,
                MetricNames.GEN_AI_TTFT,
                "Time from arrival to the first generated token, successful requests only")
            .labelNames(tuple)
            .classicUpperBounds(Buckets.GEN_AI_TTFT_SECONDS)
            .register(registry);
    this.timePerOutputToken =
        histogram(
                names,
                MetricNames.GEN_AI_TPOT,
                "Per successful request: (duration - time to first token) / (output tokens - 1)")
            .labelNames(tuple)
            .classicUpperBounds(Buckets.GEN_AI_TOKEN_SECONDS)
            .register(registry);
    this.interTokenLatency =
        histogram(
                names,
                MetricNames.GEN_AI_ITL,
                "Gap between consecutive generated chunks, one per gap")
            .labelNames(tuple)
            .classicUpperBounds(Buckets.GEN_AI_TOKEN_SECONDS)
            .register(registry);
    this.queueTime =
        histogram(
                names,
                MetricNames.GEN_AI_QUEUE_TIME,
                "Time from arrival until a worker took the request")
            .labelNames("operation", "model")
            .classicUpperBounds(Buckets.GEN_AI_TTFT_SECONDS)
            .register(registry);
    this.maxTokens =
        histogram(names, MetricNames.GEN_AI_MAX_TOKENS, "The max_tokens requests asked for")
            .labelNames("model")
            .classicUpperBounds(Buckets.GEN_AI_MAX_TOKENS)
            .register(registry);
    this.serverTokens =
        histogram(
                names, MetricNames.GEN_AI_SERVER_TOKENS, "Tokens per served request, by token type")
            .labelNames(withTokenType)
            .classicUpperBounds(Buckets.GEN_AI_TOKENS)
            .register(registry);
    this.clientDuration =
        histogram(
                names,
                MetricNames.GEN_AI_CLIENT_DURATION,
                "Duration of calls to generation providers")
            .labelNames(withError)
            .classicUpperBounds(Buckets.GEN_AI_DURATION_SECONDS)
            .register(registry);
    this.timeToFirstChunk =
        histogram(
                names,
                MetricNames.GEN_AI_CLIENT_TTFC,
                "Time from sending a streaming call to its first chunk")
            .labelNames(tuple)
            .classicUpperBounds(Buckets.GEN_AI_TTFT_SECONDS)
            .register(registry);
    this.timePerOutputChunk =
        histogram(
                names,
                MetricNames.GEN_AI_CLIENT_TPOC,
                "Time between consecutive chunks of a streaming call, one per chunk after the first")
            .labelNames(tuple)
            .classicUpperBounds(Buckets.GEN_AI_TOKEN_SECONDS)
            .register(registry);
    this.clientTokens =
        histogram(
                names,
                MetricNames.GEN_AI_CLIENT_TOKENS,
                "Tokens per call to a provider, by token type")
            .labelNames(withTokenType)
            .classicUpperBounds(Buckets.GEN_AI_TOKENS)
            .register(registry);
    this.serverRequests =
        counter(names, MetricNames.GEN_AI_SERVER_REQUESTS, "Served generation requests, by finish")
            .labelNames("operation", "provider", "model", "finish_reason")
            .register(registry);
    this.usageMissing =
        counter(
                names,
                MetricNames.GEN_AI_USAGE_MISSING,
                "Calls or streams that ended without usage: their token usage is absent, not 0")
            .labelNames("provider", "model")
            .register(registry);
    this.streamsActive =
        gauge(names, MetricNames.GEN_AI_STREAMS_ACTIVE, "Streams in flight", registry);
    this.running =
        gauge(names, MetricNames.GEN_AI_RUNNING, "Requests a worker is generating now", registry);
    this.waiting =
        gauge(names, MetricNames.GEN_AI_WAITING, "Requests waiting for a worker", registry);
    this.disconnects =
        counter(
                names,
                MetricNames.GEN_AI_STREAM_DISCONNECTS,
                "Generation streams whose client went away before the end")
            .labelNames("model")
            .register(registry);
    this.models = cardinality.guard(MetricNames.GEN_AI_SERVER_REQUESTS, DEFAULT_MAX_MODELS);
    this.providers = cardinality.guard(MetricNames.GEN_AI_CLIENT_TOKENS, DEFAULT_MAX_PROVIDERS);
    this.operations = cardinality.guard(MetricNames.GEN_AI_SERVER_DURATION, MAX_OPERATIONS);
    this.errorTypes = cardinality.guard(MetricNames.GEN_AI_CLIENT_DURATION, MAX_ERROR_TYPES);
  }

  private static Histogram.Builder histogram(Naming names, String name, String help) {
    return Histogram.builder().name(names.name(name)).help(help).constLabels(names.constLabels());
  }

  private static Counter.Builder counter(Naming names, String name, String help) {
    return Counter.builder().name(names.name(name)).help(help).constLabels(names.constLabels());
  }

  private static Gauge gauge(Naming names, String name, String help, PrometheusRegistry registry) {
    return Gauge.builder()
        .name(names.name(name))
        .help(help)
        .labelNames("model")
        .constLabels(names.constLabels())
        .register(registry);
  }

  /**
   * Gives model id {@code model} its own series whatever number of unknown ids arrives first; call
   * it for every configured model.
   */
  public LlmMetrics allowModel(String model) {
    models.allow(model);
    return this;
  }

  /**
   * Starts recording one served request of {@code operation} (such as {@link #CHAT}); a {@code
   * streaming} one counts in {@code gen_ai_server_streams_active} until it ends. Never throws: on
   * an internal failure the recorder records nothing.
   */
  public LlmRecorder serve(String provider, String model, String operation, boolean streaming) {
    try {
      LlmServerSeries series = serverSeries(provider, model, operation);
      return new ServedRequestRecorder(
          series, streaming, System.nanoTime(), TraceExemplars.current());
    } catch (RuntimeException e) {
      internalErrors.record("llm.serve", e);
      return NoopLlmRecorder.INSTANCE;
    }
  }

  /**
   * Starts timing one outbound call to {@code provider}; close it (try-with-resources) when the
   * response or stream has ended.
   */
  public LlmCall call(String provider, String model, String operation) {
    try {
      return new TimedLlmCall(clientSeries(provider, model, operation), System.nanoTime());
    } catch (RuntimeException e) {
      internalErrors.record("llm.call", e);
      return NoopLlmCall.INSTANCE;
    }
  }

  /**
   * Records the token usage of one finished {@link #CHAT} call to a provider that was not timed
   * through {@link #call} (client side, {@code gen_ai_client_token_usage}); negative counts are
   * absent and are not recorded.
   */
  public void recordTokens(String provider, String model, long inputTokens, long outputTokens) {
    try {
      LlmClientSeries series = clientSeries(provider, model, CHAT);
      series.tokens.observe(inputTokens, outputTokens, -1, -1);
    } catch (RuntimeException e) {
      internalErrors.record("llm.recordTokens", e);
    }
  }

  /** Streams in flight across every model; exact, for tests and the JSON snapshot. */
  public long streamsActive() {
    return sum(streamsActive);
  }

  /** Requests a worker is generating now, across every model; for tests and the JSON snapshot. */
  public long requestsRunning() {
    return sum(running);
  }

  /** Requests waiting for a worker, across every model; for tests and the JSON snapshot. */
  public long requestsWaiting() {
    return sum(waiting);
  }

  private static long sum(Gauge gauge) {
    double sum = 0;
    for (GaugeSnapshot.GaugeDataPointSnapshot point : gauge.collect().getDataPoints()) {
      sum += point.getValue();
    }
    return Math.round(sum);
  }

  private LlmServerSeries serverSeries(String provider, String model, String operation) {
    String op = operations.guard(operation);
    String p = providers.guard(provider);
    String m = models.guard(model);
    return serverSeries.computeIfAbsent(key(op, p, m), k -> new LlmServerSeries(this, op, p, m));
  }

  private LlmClientSeries clientSeries(String provider, String model, String operation) {
    String op = operations.guard(operation);
    String p = providers.guard(provider);
    String m = models.guard(model);
    return clientSeries.computeIfAbsent(key(op, p, m), k -> new LlmClientSeries(this, op, p, m));
  }

  private static String key(String operation, String provider, String model) {
    return operation + '\u0000' + provider + '\u0000' + model;
  }
}
