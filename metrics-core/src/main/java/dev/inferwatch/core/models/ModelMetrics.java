package dev.inferwatch.core.models;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.core.health.HealthCheck;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.core.health.HealthRegistry;
import dev.inferwatch.core.http.RouteNormalizer;
import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The model and prediction families: predictions by outcome, duration, in-progress, batch size,
 * {@code model_info}, the {@code model_state} stateset and {@code model_load_duration_seconds}.
 *
 * <pre>{@code
 * ModelLifecycle<Classifier> sentiment =
 *     iw.models().lifecycle("sentiment", () -> Classifier.read(primary))
 *         .fallback(() -> Classifier.read(fallback)).version("v3");
 * sentiment.load();                      // loading -> ready; the startup probe turns up
 * try (Prediction p = iw.models().start("sentiment", "v3")) {
 *   sentiment.model().predict(input);
 *   p.ok();
 * }
 * }</pre>
 *
 * <p>Model names pass a cardinality guard ({@value #DEFAULT_MODEL_LIMIT} distinct), versions
 * another ({@value #DEFAULT_VERSION_LIMIT} distinct, since a host that stamps a build hash per
 * deploy would otherwise grow series forever). {@link #reload()} is what {@code POST
 * /health/model/reload} calls.
 */
public final class ModelMetrics {

  /** Distinct model names with their own series. */
  public static final int DEFAULT_MODEL_LIMIT = 50;

  /** Distinct model versions with their own series, across all models. */
  public static final int DEFAULT_VERSION_LIMIT = 20;

  /** What {@link #reload()} did. */
  public enum ReloadResult {
    /** A reload started. */
    ACCEPTED,
    /** A load or reload is already running. */
    CONFLICT,
    /** Nothing to reload: no hook and no lifecycle. */
    UNSUPPORTED
  }

  /** A host-provided reload: starts one and answers false when one is already running. */
  @FunctionalInterface
  public interface ReloadHook {
    /** Starts a reload without waiting for it; false when one is already running. */
    boolean reload();
  }

  private final Counter predictions;
  private final Histogram duration;
  private final PredictionGauges gauges;
  private final Histogram batchSize;
  private final Info info;
  private final StateSet state;
  private final Gauge loadDuration;
  private final Counter applicationErrors;
  private final LabelGuard models;
  private final LabelGuard versions;
  private final LabelGuard errorTypes;
  private final RouteNormalizer routes;
  private final LabelGuard errorRoutes;
  private final InternalErrors errors;
  private final HealthRegistry health;
  private final EventJournal events;
  private final Map<String, ModelState> states = new ConcurrentHashMap<>();
  private final Map<String, String[]> infoLabels = new ConcurrentHashMap<>();
  private final List<ModelLifecycle<?>> lifecycles = new CopyOnWriteArrayList<>();
  private volatile ReloadHook reloadHook;

  /** Registers the families; built by {@code Inferwatch}, not by applications. */
  public ModelMetrics(
      Naming names,
      PrometheusRegistry registry,
      Cardinality cardinality,
      RouteNormalizer routes,
      InternalErrors errors,
      HealthRegistry health,
      EventJournal events) {
    this.routes = routes;
    this.errors = errors;
    this.health = health;
    this.events = events;
    this.predictions =
        Counter.builder()
            .name(names.name(MetricNames.PREDICTIONS))
            .help("Predictions by outcome (ok, error, timeout, rejected)")
            .labelNames("model", "version", "outcome")
            .constLabels(names.constLabels())
            .register(registry);
    this.duration =
        Histogram.builder()
            .name(names.name(MetricNames.PREDICTION_DURATION))
            .help("How long predictions take")
            .labelNames("model", "version")
            .classicUpperBounds(Buckets.HTTP_SECONDS)
            .constLabels(names.constLabels())
            .register(registry);
    this.gauges = new PredictionGauges(names, registry);
    this.batchSize =
        Histogram.builder()
            .name(names.name(MetricNames.BATCH_SIZE))
            .help("Instances per prediction request")
            .labelNames("model")
            .classicUpperBounds(Buckets.BATCH_SIZE)
            .constLabels(names.constLabels())
            .register(registry);
    this.info =
        Info.builder()
            .name(names.name(MetricNames.MODEL_INFO))
            .help("The loaded model's version, stage and framework")
            .labelNames("model", "version", "stage", "framework")
            .constLabels(names.constLabels())
            .register(registry);
    this.state =
        StateSet.builder()
            .name(names.name(MetricNames.MODEL_STATE))
            .help("Lifecycle state of each model")
            .labelNames("model")
            .states(stateLabels())
            .constLabels(names.constLabels())
            .register(registry);
    this.loadDuration =
        Gauge.builder()
            .name(names.name(MetricNames.MODEL_LOAD_DURATION))
            .help("How long the last successful load of each model took")
            .labelNames("model")
            .constLabels(names.constLabels())
            .register(registry);
    this.applicationErrors =
        Counter.builder()
            .name(names.name(MetricNames.APPLICATION_ERRORS))
            .help("Errors the application reports, by type and route")
            .labelNames("type", "route")
            .constLabels(names.constLabels())
            .register(registry);
    this.models = cardinality.guard(MetricNames.PREDICTIONS, DEFAULT_MODEL_LIMIT);
    this.versions = cardinality.guard(MetricNames.PREDICTIONS, DEFAULT_VERSION_LIMIT);
    this.errorTypes = cardinality.guard(MetricNames.APPLICATION_ERRORS, 50);
    this.errorRoutes = cardinality.guard(MetricNames.APPLICATION_ERRORS, routes.maxRoutes());
  }

  /**
   * Starts timing one prediction of {@code model} (counted in progress); end it with an outcome. A
   * server with bounded workers marks it {@link Prediction#queued()} and {@link
   * Prediction#running()} on the way.
   */
  public Prediction start(String model, String version) {
    String m = models.guard(model);
    PredictionGauges.Points points = null;
    try {
      points = gauges.of(m);
      points.inProgress().inc();
    } catch (RuntimeException e) {
      errors.record("models.start", e);
    }
    return new Prediction(this, m, version, points);
  }

  /** Records one finished prediction. */
  public void record(String model, String version, PredictionOutcome outcome, Duration took) {
    record(models.guard(model), version, outcome, took.toNanos());
  }

  void record(String model, String version, PredictionOutcome outcome, long nanos) {
    try {
      String v = versions.guard(version);
      predictions.labelValues(model, v, outcome.label()).inc();
      if (outcome != PredictionOutcome.REJECTED) {
        duration.labelValues(model, v).observe(nanos / 1e9);
      }
    } catch (RuntimeException e) {
      errors.record("models.record", e);
    }
  }

  /** Records how many instances one request carried. */
  public void recordBatchSize(String model, int size) {
    try {
      batchSize.labelValues(models.guard(model)).observe(size);
    } catch (RuntimeException e) {
      errors.record("models.batch", e);
    }
  }

  /**
   * Counts an application error of {@code type} on {@code route}; the route goes through the same
   * normalisation and cap as the HTTP routes, so a raw path such as {@code /users/42} is safe.
   */
  public void recordApplicationError(String type, String route) {
    try {
      applicationErrors
          .labelValues(errorTypes.guard(type), errorRoutes.guard(routes.normalize(route).name()))
          .inc();
    } catch (RuntimeException e) {
      errors.record("models.application_error", e);
    }
  }

  /** Sets {@code model_info} for {@code model}, replacing what it said before. */
  public void info(String model, String version, String stage, String framework) {
    try {
      String m = models.guard(model);
      String[] labels = {m, orUnknown(version), orUnknown(stage), orUnknown(framework)};
      String[] previous = infoLabels.put(m, labels);
      if (previous != null) {
        info.remove(previous);
      }
      info.addLabelValues(labels);
    } catch (RuntimeException e) {
      errors.record("models.info", e);
    }
  }

  /** Moves {@code model} to {@code next} in {@code model_state}. */
  public void state(String model, ModelState next) {
    transition(models.guard(model), next, null);
  }

  /** The state of {@code model}, or {@code null} if it never reported one. */
  public ModelState state(String model) {
    return states.get(model);
  }

  /**
   * Wraps {@code loader}: loads are timed, the stage (primary or fallback) is reported in {@code
   * model_info}, the state feeds {@code model_state} and readiness ({@code model:<name>}), the
   * first success marks the application started, and {@link #reload()} reloads it.
   */
  public <T> ModelLifecycle<T> lifecycle(String model, ModelLoader<T> loader) {
    ModelLifecycle<T> lifecycle = new ModelLifecycle<>(this, models.guard(model), loader);
    lifecycles.add(lifecycle);
    // TTL zero: the check reads a field, and readiness must turn the moment the model is loaded.
    health.register(
        "model:" + lifecycle.name(),
        HealthGroup.READINESS,
        HealthCheck.of(lifecycle::serving),
        HealthRegistry.DEFAULT_TIMEOUT,
        Duration.ZERO);
    return lifecycle;
  }

  /** Replaces the default reload (every lifecycle) with the host's own. */
  public void onReload(ReloadHook hook) {
    this.reloadHook = hook;
  }

  /** Starts a reload through the host's hook, or of every lifecycle when none is set. */
  public ReloadResult reload() {
    ReloadHook hook = reloadHook;
    try {
      if (hook != null) {
        return hook.reload() ? ReloadResult.ACCEPTED : ReloadResult.CONFLICT;
      }
    } catch (RuntimeException e) {
      errors.record("models.reload", e);
      return ReloadResult.CONFLICT;
    }
    if (lifecycles.isEmpty()) {
      return ReloadResult.UNSUPPORTED;
    }
    boolean any = false;
    for (ModelLifecycle<?> lifecycle : lifecycles) {
      any |= lifecycle.reloadAsync();
    }
    return any ? ReloadResult.ACCEPTED : ReloadResult.CONFLICT;
  }

  /** Whether {@link #reload()} has anything to call. */
  public boolean reloadSupported() {
    return reloadHook != null || !lifecycles.isEmpty();
  }

  /** A JSON-friendly view of every known model: state, version, stage, load duration, error. */
  public Map<String, Object> status() {
    Map<String, Object> byModel = new LinkedHashMap<>();
    states.forEach((m, s) -> byModel.put(m, Map.of("state", s.label())));
    infoLabels.forEach(
        (m, labels) -> {
          Map<String, Object> view = new LinkedHashMap<>();
          view.put("state", states.getOrDefault(m, ModelState.READY).label());
          view.put("version", labels[1]);
          view.put("stage", labels[2]);
          view.put("framework", labels[3]);
          byModel.put(m, view);
        });
    for (ModelLifecycle<?> lifecycle : lifecycles) {
      byModel.put(lifecycle.name(), lifecycle.status());
    }
    return byModel;
  }

  /** Whether every model that reported a state can serve (ready, or reloading over a model). */
  public boolean allServing() {
    for (ModelLifecycle<?> lifecycle : lifecycles) {
      if (!lifecycle.serving()) {
        return false;
      }
    }
    for (Map.Entry<String, ModelState> e : states.entrySet()) {
      ModelState s = e.getValue();
      if (s == ModelState.LOADING || s == ModelState.FAILED) {
        return false;
      }
    }
    return true;
  }

  /**
   * The one place a model changes state: the stateset, the event journal (which logs), and (first
   * READY) the startup probe.
   */
  void transition(String model, ModelState next, String reason) {
    ModelState previous = states.put(model, next);
    try {
      for (ModelState s : ModelState.values()) {
        if (s == next) {
          state.labelValues(model).setTrue(s.label());
        } else {
          state.labelValues(model).setFalse(s.label());
        }
      }
    } catch (RuntimeException e) {
      errors.record("models.state", e);
    }
    if (next == ModelState.READY) {
      health.markStarted();
    }
    if (previous != next) {
      String move = (previous == null ? "new" : previous.label()) + " -> " + next.label();
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("from", previous == null ? null : previous.label());
      fields.put("to", next.label());
      fields.put("reason", reason);
      if (next == ModelState.FAILED) {
        events.emit(EventType.MODEL_FAILED, model, move + ": " + reason, fields);
      } else {
        events.emit(EventType.MODEL_STATE_CHANGED, model, move, fields);
      }
    }
  }

  void loaded(String model, Duration took) {
    try {
      loadDuration.labelValues(model).set(took.toNanos() / 1e9);
    } catch (RuntimeException e) {
      errors.record("models.load_duration", e);
    }
  }

  InternalErrors errors() {
    return errors;
  }

  private static String[] stateLabels() {
    ModelState[] values = ModelState.values();
    String[] labels = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      labels[i] = values[i].label();
    }
    return labels;
  }

  private static String orUnknown(String value) {
    return LabelGuard.clean(value);
  }
}
