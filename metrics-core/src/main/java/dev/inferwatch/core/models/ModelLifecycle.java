package dev.inferwatch.core.models;

import dev.inferwatch.core.internal.DaemonThreads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's load and reload, measured: load duration, the stage that loaded ({@code primary} or
 * {@code fallback}), state transitions into {@code model_state} and readiness.
 *
 * <pre>{@code
 * ModelLifecycle<Classifier> sentiment = iw.models()
 *     .lifecycle("sentiment", () -> Classifier.read(primary))
 *     .fallback(() -> Classifier.read(fallback))
 *     .version("v3").framework("onnx");
 * sentiment.loadAsync();                 // readiness stays down until it is ready
 * Classifier c = sentiment.model();      // null until loaded
 * }</pre>
 *
 * <p>A failed reload keeps the previous model serving (state back to {@code ready}); a failed first
 * load leaves the model {@code failed} and readiness down.
 *
 * @param <T> the loaded model
 */
public final class ModelLifecycle<T> {

  /** The stage label when the primary loader succeeded. */
  public static final String PRIMARY = "primary";

  /** The stage label when the primary failed and the fallback loaded. */
  public static final String FALLBACK = "fallback";

  private final ModelMetrics metrics;
  private final String name;
  private final ModelLoader<T> primary;
  private volatile ModelLoader<T> fallback;
  private volatile String version;
  private volatile String framework;
  private volatile T model;
  private volatile String stage;
  private volatile Duration loadDuration;
  private volatile String lastError;
  private volatile ModelState state;
  private boolean busy;

  ModelLifecycle(ModelMetrics metrics, String name, ModelLoader<T> primary) {
    this.metrics = metrics;
    this.name = name;
    this.primary = primary;
  }

  /** A loader tried when the primary one fails. */
  public ModelLifecycle<T> fallback(ModelLoader<T> loader) {
    this.fallback = loader;
    return this;
  }

  /** The {@code version} label of {@code model_info}. */
  public ModelLifecycle<T> version(String version) {
    this.version = version;
    return this;
  }

  /** The {@code framework} label of {@code model_info}. */
  public ModelLifecycle<T> framework(String framework) {
    this.framework = framework;
    return this;
  }

  /** The model's (guarded) name. */
  public String name() {
    return name;
  }

  /** The model's version as configured, or {@code null}. */
  public String version() {
    return version;
  }

  /** The loaded model, or {@code null} before the first successful load. */
  public T model() {
    return model;
  }

  /** The current state, {@code null} before the first load starts. */
  public ModelState state() {
    return state;
  }

  /** Whether a model is loaded and serving (also during a reload). */
  public boolean serving() {
    return model != null && (state == ModelState.READY || state == ModelState.RELOADING);
  }

  /**
   * Loads now on the calling thread: the primary, then the fallback; returns the model or throws
   * {@link IllegalStateException} with the cause when both fail or a load is already running.
   */
  public T load() {
    if (!claim()) {
      throw new IllegalStateException("model " + name + " is already loading");
    }
    return run();
  }

  /** Starts a load on a daemon thread; false when one is already running. */
  public boolean loadAsync() {
    if (!claim()) {
      return false;
    }
    DaemonThreads.start(
        "inferwatch-model-load-" + name,
        () -> {
          try {
            run();
          } catch (IllegalStateException ignored) {
            // Already reported through the state, the log and lastError.
          }
        });
    return true;
  }

  /** Same as {@link #loadAsync()}; the previous model serves until the new one is ready. */
  public boolean reloadAsync() {
    return loadAsync();
  }

  private synchronized boolean claim() {
    if (busy) {
      return false;
    }
    busy = true;
    move(model == null ? ModelState.LOADING : ModelState.RELOADING, null);
    return true;
  }

  private T run() {
    long t0 = System.nanoTime();
    try {
      T loaded;
      String loadedStage;
      try {
        loaded = primary.load();
        loadedStage = PRIMARY;
      } catch (Exception | LinkageError primaryFailure) {
        ModelLoader<T> second = fallback;
        if (second == null) {
          throw primaryFailure;
        }
        lastError = describe(primaryFailure);
        loaded = second.load();
        loadedStage = FALLBACK;
      }
      if (loaded == null) {
        throw new IllegalStateException("loader returned null");
      }
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      model = loaded;
      stage = loadedStage;
      loadDuration = took;
      metrics.loaded(name, took);
      metrics.info(name, version, loadedStage, framework);
      move(ModelState.READY, null);
      return loaded;
    } catch (Exception | LinkageError e) {
      lastError = describe(e);
      move(model == null ? ModelState.FAILED : ModelState.READY, lastError);
      throw new IllegalStateException("model " + name + " failed to load: " + lastError, e);
    } finally {
      synchronized (this) {
        busy = false;
      }
    }
  }

  private void move(ModelState next, String reason) {
    state = next;
    metrics.transition(name, next, reason);
  }

  /** A JSON-friendly view: state, version, stage, framework, load duration, last error. */
  public Map<String, Object> status() {
    Map<String, Object> view = new LinkedHashMap<>();
    ModelState s = state;
    view.put("state", s == null ? "unloaded" : s.label());
    view.put("version", version);
    view.put("stage", stage);
    view.put("framework", framework);
    Duration took = loadDuration;
    view.put("load_duration_seconds", took == null ? null : took.toNanos() / 1e9);
    view.put("last_error", lastError);
    return view;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    String type = t.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
