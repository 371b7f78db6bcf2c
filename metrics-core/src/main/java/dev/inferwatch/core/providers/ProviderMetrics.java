package dev.inferwatch.core.providers;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One-liners for a gateway that routes requests to LLM providers: response times, outcomes, costs,
 * circuit breakers, health scores, model uptime, anomalies, trials and router fallthroughs.
 *
 * <pre>{@code
 * ProviderMetrics providers = iw.providers();
 * try (ProviderCall call = providers.startCall("openai").model("gpt-4o")) {
 *   Response r = client.send(request);
 *   call.ok();
 * } // a call closed without ok() is recorded as failed
 * providers.incrementCostByProvider("openai", 0.0042);
 * providers.setCircuitBreakerState("openai", CircuitState.OPEN);
 * }</pre>
 *
 * <p>{@code provider_health_score} and {@code model_uptime_24h_ratio} are derived from the recorded
 * outcomes unless the host sets them (formulas in {@link ProviderHealth} and {@link ModelUptime},
 * repeated in the README); a derived value with no traffic in its window is absent, not 0.
 * Recording is lock-free and allocation-free after a provider's first call; each provider and model
 * costs a fixed amount of memory. Nothing here throws into the host: failures are counted in {@code
 * inferwatch_internal_errors_total{operation="providers.*"}}. Outcomes, circuit changes,
 * fallthroughs and anomalies are also written to the {@link EventJournal}.
 */
public final class ProviderMetrics {

  /** Distinct providers with their own series; later ones fold into {@code __overflow__}. */
  public static final int DEFAULT_PROVIDER_LIMIT = 100;

  /** Distinct models with their own uptime and efficiency series. */
  public static final int DEFAULT_MODEL_LIMIT = 200;

  /** Distinct anomaly types and routing profiles. */
  public static final int DEFAULT_TYPE_LIMIT = 50;

  private final InternalErrors errors;
  private final ProviderJournal journal;
  private final LongSupplier clock;
  private final Counter requests;
  private final Histogram responseTime;
  private final Counter cost;
  private final StateSet circuit;
  private final Gauge tokenEfficiency;
  private final RouterFamilies router;
  private final LabelGuard providerNames;
  private final LabelGuard modelNames;
  private final Map<String, ProviderSeries> providers = new ConcurrentHashMap<>();
  private final Map<String, ModelUptime> models = new ConcurrentHashMap<>();

  /** Registers the families; built by {@code Inferwatch}, not by applications. */
  public ProviderMetrics(
      Naming names,
      PrometheusRegistry registry,
      Cardinality cardinality,
      InternalErrors errors,
      EventJournal events,
      LongSupplier clock) {
    this.errors = errors;
    this.journal = new ProviderJournal(events);
    this.clock = clock;
    this.requests =
        counter(names, MetricNames.PROVIDER_REQUESTS, "Calls to upstream providers, by outcome")
            .labelNames("provider", "outcome")
            .register(registry);
    this.responseTime =
        Histogram.builder()
            .name(names.name(MetricNames.PROVIDER_RESPONSE_TIME))
            .help("Response time of upstream provider calls")
            .labelNames("provider")
            .classicUpperBounds(Buckets.GEN_AI_DURATION_SECONDS)
            .constLabels(names.constLabels())
            .register(registry);
    GaugeWithCallback.builder()
        .name(names.name(MetricNames.PROVIDER_HEALTH))
        .help("Provider health 0..1: set by the host, or derived from outcomes and latency")
        .labelNames("provider")
        .constLabels(names.constLabels())
        .callback(this::collectHealth)
        .register(registry);
    this.circuit =
        StateSet.builder()
            .name(names.name(MetricNames.PROVIDER_CIRCUIT))
            .help("Circuit breaker state of each provider")
            .labelNames("provider")
            .states(CircuitState.labels())
            .constLabels(names.constLabels())
            .register(registry);
    this.cost =
        counter(names, MetricNames.PROVIDER_COST, "Money spent on each provider, in US dollars")
            .labelNames("provider")
            .register(registry);
    GaugeWithCallback.builder()
        .name(names.name(MetricNames.MODEL_UPTIME))
        .help("Share of successful calls per model over 24 h: set by the host, or derived")
        .labelNames("model")
        .constLabels(names.constLabels())
        .callback(this::collectUptime)
        .register(registry);
    this.tokenEfficiency =
        Gauge.builder()
            .name(names.name(MetricNames.MODEL_TOKEN_EFFICIENCY))
            .help("Output tokens per input token, or a host-defined efficiency, per model")
            .labelNames("model")
            .constLabels(names.constLabels())
            .register(registry);
    this.router = new RouterFamilies(names, registry, cardinality, events);
    this.providerNames = cardinality.guard(MetricNames.PROVIDER_REQUESTS, DEFAULT_PROVIDER_LIMIT);
    this.modelNames = cardinality.guard(MetricNames.MODEL_UPTIME, DEFAULT_MODEL_LIMIT);
  }

  private static Counter.Builder counter(Naming names, String name, String help) {
    return Counter.builder().name(names.name(name)).help(help).constLabels(names.constLabels());
  }

  /** Records how long one call to {@code provider} took. */
  public void recordProviderResponseTime(String provider, Duration duration) {
    try {
      recordNanos(provider(provider), duration.toNanos());
    } catch (RuntimeException e) {
      errors.record("providers.response_time", e);
    }
  }

  /** Counts one call to {@code provider} that ended with {@code outcome}. */
  public void recordProviderOutcome(String provider, ProviderOutcome outcome) {
    record(provider, outcome, null, null);
  }

  /**
   * Counts one call to {@code provider}; {@code detail} (an error message, a skip reason) goes to
   * the journal and, for failures, becomes the provider's last error.
   */
  public void recordProviderOutcome(String provider, ProviderOutcome outcome, String detail) {
    record(provider, outcome, detail, null);
  }

  /**
   * Counts one failed call to {@code provider} ({@code outcome} {@code failed} or {@code
   * failed_midstream}); {@code error} (status, retryable, message) becomes the provider's last
   * error, shown in {@code /metrics.json} and on the status page.
   */
  public void recordProviderError(String provider, ProviderOutcome outcome, ProviderError error) {
    record(provider, outcome, null, error);
  }

  private void record(String provider, ProviderOutcome outcome, String detail, ProviderError e) {
    try {
      count(provider(provider), outcome, detail, e, clock.getAsLong());
    } catch (RuntimeException failure) {
      errors.record("providers.outcome", failure);
    }
  }

  private void count(
      ProviderSeries p, ProviderOutcome o, String detail, ProviderError e, long now) {
    p.outcomes[o.ordinal()].inc();
    p.health.outcome(now, o);
    journal.outcome(p, o, detail, e, now);
  }

  /**
   * Starts timing a call to {@code provider}; closing the returned call records its response time
   * and outcome (failed unless the call said otherwise).
   */
  public ProviderCall startCall(String provider) {
    long start;
    try {
      start = clock.getAsLong();
    } catch (RuntimeException e) {
      errors.record("providers.start", e);
      start = System.nanoTime();
    }
    return new ProviderCall(this, provider, start);
  }

  /**
   * Sets the health score (a ratio, 0..1) of {@code provider}, overriding the derived one; {@code
   * NaN} hands the score back to the derivation. A value outside 0..1 (such as a percentage) is
   * refused: not stored, counted in {@code inferwatch_internal_errors_total{operation=
   * "providers.health_score"}} and logged once.
   */
  public void setProviderHealthScore(String provider, double score) {
    try {
      if (score < 0 || score > 1) {
        throw new IllegalArgumentException("health score must be a ratio 0..1, got " + score);
      }
      provider(provider).hostScore = score;
    } catch (RuntimeException e) {
      errors.record("providers.health_score", e);
    }
  }

  /** Sets the circuit breaker state of {@code provider}; a change is journalled. */
  public void setCircuitBreakerState(String provider, CircuitState state) {
    try {
      ProviderSeries p = provider(provider);
      var point = circuit.labelValues(p.name);
      for (CircuitState s : CircuitState.values()) {
        if (s == state) {
          point.setTrue(s.label());
        } else {
          point.setFalse(s.label());
        }
      }
      CircuitState previous = p.circuit;
      p.circuit = state;
      journal.circuit(p, previous, state);
    } catch (RuntimeException e) {
      errors.record("providers.circuit", e);
    }
  }

  /** Adds {@code usd} (non-negative) to what was spent on {@code provider}. */
  public void incrementCostByProvider(String provider, double usd) {
    try {
      provider(provider).cost.inc(usd);
    } catch (RuntimeException e) {
      errors.record("providers.cost", e);
    }
  }

  /** Counts one call to {@code model} towards its derived 24-hour uptime. */
  public void recordModelOutcome(String model, ProviderOutcome outcome) {
    try {
      model(model).outcome(clock.getAsLong(), outcome);
    } catch (RuntimeException e) {
      errors.record("providers.model_outcome", e);
    }
  }

  /** Sets the 24-hour uptime (0..1) of {@code model}; {@code NaN} hands it back to derivation. */
  public void setModelUptime24h(String model, double ratio) {
    try {
      if (ratio < 0 || ratio > 1) {
        throw new IllegalArgumentException("uptime ratio must be 0..1, got " + ratio);
      }
      model(model).hostRatio(ratio);
    } catch (RuntimeException e) {
      errors.record("providers.uptime", e);
    }
  }

  /** Sets the token efficiency of {@code model} (output per input token, or host-defined). */
  public void setTokenEfficiency(String model, double efficiency) {
    try {
      tokenEfficiency.labelValues(model(model).name()).set(efficiency);
    } catch (RuntimeException e) {
      errors.record("providers.token_efficiency", e);
    }
  }

  /** Counts one anomaly of {@code type} and journals it. */
  public void recordAnomaly(String type) {
    contained("providers.anomaly", () -> router.anomaly(type));
  }

  /**
   * Creates the anomaly series of {@code types} at 0, so the first anomaly of each shows in {@code
   * increase()} and alerts; a counter that appears already at 1 hides its first event.
   */
  public ProviderMetrics initAnomalies(String... types) {
    for (String type : types) {
      contained("providers.anomaly", () -> router.initAnomaly(type));
    }
    return this;
  }

  /** Sets how many trials are active. */
  public void setTrialActiveCount(int count) {
    contained("providers.trials", () -> router.trials(count));
  }

  /** Counts a request for which the router ran out of providers under {@code profile}. */
  public void recordFallthrough(String profile) {
    contained("providers.fallthrough", () -> router.fallthrough(profile));
  }

  /**
   * Creates the fallthrough series of {@code profiles} at 0, so the first fallthrough of each shows
   * in {@code increase()} and alerts.
   */
  public ProviderMetrics initFallthroughs(String... profiles) {
    for (String profile : profiles) {
      contained("providers.fallthrough", () -> router.initFallthrough(profile));
    }
    return this;
  }

  /** The health score of {@code provider} now (set or derived), or {@code NaN} when unknown. */
  public double healthScore(String provider) {
    ProviderSeries p = providers.get(provider);
    return p == null ? Double.NaN : p.score(clock.getAsLong());
  }

  /** The 24-hour uptime of {@code model} now (set or derived), or {@code NaN} when unknown. */
  public double modelUptime24h(String model) {
    ModelUptime m = models.get(model);
    return m == null ? Double.NaN : m.effective(clock.getAsLong());
  }

  void finishCall(ProviderCall call, ProviderOutcome outcome, String detail, ProviderError error) {
    try {
      ProviderSeries p = provider(call.provider);
      long now = clock.getAsLong();
      if (outcome.attempted()) {
        recordNanos(p, now - call.startNanos);
      }
      count(p, outcome, detail, error, now);
      if (call.model != null) {
        model(call.model).outcome(now, outcome);
      }
    } catch (RuntimeException e) {
      errors.record("providers.call", e);
    }
  }

  long okInWindow(String provider) {
    return providers.get(provider).health.okInWindow(clock.getAsLong());
  }

  /** Runs a rare, non-hot {@code action}; a failure is counted under {@code operation}. */
  private void contained(String operation, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      errors.record(operation, e);
    }
  }

  private void recordNanos(ProviderSeries p, long nanos) {
    p.responseTime.observe(nanos / 1e9);
    p.health.responseTime(clock.getAsLong(), nanos);
  }

  private ProviderSeries provider(String name) {
    ProviderSeries p = name == null ? null : providers.get(name);
    if (p != null) {
      return p;
    }
    String guarded = providerNames.guard(name);
    return providers.computeIfAbsent(
        guarded, key -> new ProviderSeries(key, requests, responseTime, cost));
  }

  private ModelUptime model(String name) {
    ModelUptime m = name == null ? null : models.get(name);
    if (m != null) {
      return m;
    }
    return models.computeIfAbsent(modelNames.guard(name), ModelUptime::new);
  }

  private void collectHealth(GaugeWithCallback.Callback callback) {
    long now = clock.getAsLong();
    for (ProviderSeries p : providers.values()) {
      double score = p.score(now);
      if (!Double.isNaN(score)) {
        callback.call(score, p.name);
      }
    }
  }

  private void collectUptime(GaugeWithCallback.Callback callback) {
    long now = clock.getAsLong();
    for (ModelUptime m : models.values()) {
      double ratio = m.effective(now);
      if (!Double.isNaN(ratio)) {
        callback.call(ratio, m.name());
      }
    }
  }
}
