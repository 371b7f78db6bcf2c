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
 * <p>A served request gets an {@link LlmRecorder} whose per-token call allocates nothing; an
 * outbound call gets an {@link LlmCall}. Model, provider and operation values pass a cardinality
 * guard: configured model ids ({@link #allowModel}) keep their own series, unknown ones fold into
 * {@code __overflow__} past {@link #DEFAULT_MAX_MODELS}.
 *
 * <pre>{@code
 * LlmRecorder r = iw.llm().serve("local", request.model(), LlmMetrics.CHAT, true);
 * r.token();                                   // once per streamed token
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
  final Histogram clientDuration;
  final Histogram tokenUsage;
  final Counter serverRequests;
  final Counter usageMissing;
  final Gauge streamsActive;
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
    this.serverDuration =
        histogram(
                names, MetricNames.GEN_AI_SERVER_DURATION, "Duration of served generation requests")
            .labelNames("operation", "provider", "model", "error_type")
            .classicUpperBounds(Buckets.GEN_AI_DURATION_SECONDS)
            .register(registry);
    this.timeToFirstToken =
        histogram(names, MetricNames.GEN_AI_TTFT, "Time from request to the first generated token")
            .labelNames("operation", "provider", "model")
            .classicUpperBounds(Buckets.GEN_AI_TTFT_SECONDS)
            .register(registry);
    this.timePerOutputToken =
        histogram(
                names,
                MetricNames.GEN_AI_TPOT,
                "Per request: (duration - time to first token) / (tokens - 1)")
            .labelNames("operation", "provider", "model")
            .classicUpperBounds(Buckets.GEN_AI_TOKEN_SECONDS)
            .register(registry);
    this.interTokenLatency =
        histogram(
                names,
                MetricNames.GEN_AI_ITL,
                "Gap between consecutive generated tokens, one per gap")
            .labelNames("provider", "model")
            .classicUpperBounds(Buckets.GEN_AI_TOKEN_SECONDS)
            .register(registry);
    this.clientDuration =
        histogram(
                names,
                MetricNames.GEN_AI_CLIENT_DURATION,
                "Duration of calls to generation providers")
            .labelNames("operation", "provider", "model", "error_type")
            .classicUpperBounds(Buckets.GEN_AI_DURATION_SECONDS)
            .register(registry);
    this.tokenUsage =
        histogram(
                names,
                MetricNames.GEN_AI_CLIENT_TOKENS,
                "Tokens per request or call, by token type")
            .labelNames("operation", "provider", "model", "token_type")
            .classicUpperBounds(Buckets.GEN_AI_TOKENS)
            .register(registry);
    this.serverRequests =
        Counter.builder()
            .name(names.name(MetricNames.GEN_AI_SERVER_REQUESTS))
            .help("Served generation requests, by how they finished")
            .labelNames("operation", "model", "finish_reason")
            .constLabels(names.constLabels())
            .register(registry);
    this.usageMissing =
        Counter.builder()
            .name(names.name(MetricNames.GEN_AI_USAGE_MISSING))
            .help("Calls or streams that ended without usage: their token usage is absent, not 0")
            .labelNames("provider", "model")
            .constLabels(names.constLabels())
            .register(registry);
    this.streamsActive =
        Gauge.builder()
            .name(names.name(MetricNames.GEN_AI_STREAMS_ACTIVE))
            .help("Generation streams in flight")
            .labelNames("model")
            .constLabels(names.constLabels())
            .register(registry);
    this.disconnects =
        Counter.builder()
            .name(names.name(MetricNames.GEN_AI_STREAM_DISCONNECTS))
            .help("Generation streams whose client went away before the end")
            .labelNames("model")
            .constLabels(names.constLabels())
            .register(registry);
    this.models = cardinality.guard(MetricNames.GEN_AI_SERVER_REQUESTS, DEFAULT_MAX_MODELS);
    this.providers = cardinality.guard(MetricNames.GEN_AI_CLIENT_TOKENS, DEFAULT_MAX_PROVIDERS);
    this.operations = cardinality.guard(MetricNames.GEN_AI_SERVER_DURATION, MAX_OPERATIONS);
    this.errorTypes = cardinality.guard(MetricNames.GEN_AI_CLIENT_DURATION, MAX_ERROR_TYPES);
  }

  private static Histogram.Builder histogram(Naming names, String name, String help) {
    return Histogram.builder().name(names.name(name)).help(help).constLabels(names.constLabels());
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
   * Records the token usage of one finished {@link #CHAT} call that was not timed through {@link
   * #call}; negative counts are absent and are not recorded.
   */
  public void recordTokens(String provider, String model, long inputTokens, long outputTokens) {
    try {
      LlmClientSeries series = clientSeries(provider, model, CHAT);
      if (inputTokens >= 0) {
        series.inputTokens.observe(inputTokens);
      }
      if (outputTokens >= 0) {
        series.outputTokens.observe(outputTokens);
      }
    } catch (RuntimeException e) {
      internalErrors.record("llm.recordTokens", e);
    }
  }

  /** Streams in flight across every model; exact, for tests and the JSON snapshot. */
  public long streamsActive() {
    double sum = 0;
    for (GaugeSnapshot.GaugeDataPointSnapshot point : streamsActive.collect().getDataPoints()) {
      sum += point.getValue();
    }
    return (long) sum;
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
