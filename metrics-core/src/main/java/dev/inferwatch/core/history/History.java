package dev.inferwatch.core.history;

import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The last 30 minutes of the headline figures, one sample every {@link #INTERVAL}: request rate,
 * 5xx ratio, p50/p95/p99 latency, in-flight requests, LLM output tokens per second, TTFT p95,
 * active streams, health score per provider, utilization and memory per GPU, process RSS and heap.
 *
 * <p>A daemon thread reads the registry once per interval; the request path never touches the
 * history, and its memory is fixed: {@link #CAPACITY} points per series, at most {@link
 * #MAX_PROVIDERS} providers and {@link #MAX_GPUS} GPUs. {@code /metrics.json} serves it as {@code
 * [time, value]} arrays (time in Unix seconds) and {@code ?since=T} returns only newer points.
 *
 * <pre>{@code
 * Map<String, Object> newer = iw.history().toMap(lastSeenEpochSeconds);
 * }</pre>
 */
public final class History implements AutoCloseable {

  /** Time between samples. */
  public static final Duration INTERVAL = Duration.ofSeconds(10);

  /** Samples kept: 30 minutes. */
  public static final int CAPACITY = 180;

  /** Providers with their own health line; later ones are left out. */
  public static final int MAX_PROVIDERS = 32;

  /** GPUs with their own lines; later ones are left out. */
  public static final int MAX_GPUS = 16;

  private static final String[] PROVIDER_FIELDS = {"health_score"};
  private static final String[] GPU_FIELDS = {"utilization_ratio", "memory_used_bytes"};

  private final Ring ring = new Ring(CAPACITY, MAX_PROVIDERS, MAX_GPUS);
  private final Sampler sampler;
  private final InternalErrors errors;
  private final ScheduledExecutorService timer;

  /** Samples {@code registry} every {@link #INTERVAL} from now on; built by {@code Inferwatch}. */
  public History(Naming names, PrometheusRegistry registry, InternalErrors errors) {
    this(names, registry, errors, true);
  }

  History(Naming names, PrometheusRegistry registry, InternalErrors errors, boolean sampling) {
    this.sampler = new Sampler(registry, names);
    this.errors = errors;
    if (sampling) {
      timer =
          Executors.newSingleThreadScheduledExecutor(DaemonThreads.single("inferwatch-history"));
      timer.scheduleAtFixedRate(this::sample, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /** Takes one sample now (the history's thread does every interval); never throws. */
  public void sample() {
    sample(System.currentTimeMillis(), System.nanoTime());
  }

  synchronized void sample(long epochMillis, long nanos) {
    try {
      sampler.sampleInto(ring, Math.floorDiv(epochMillis, 1000), nanos);
    } catch (RuntimeException e) {
      errors.record("history.sample", e);
    }
  }

  /** Samples held, up to {@link #CAPACITY}. */
  public synchronized int samples() {
    return ring.size();
  }

  /**
   * The history as JSON-ready values: {@code interval_seconds}, {@code capacity}, {@code newest}
   * (the last sample's time), {@code series} (each {@code [[time, value], ...]}, oldest first, a
   * value null where it was unknown), {@code providers} and {@code gpus} (keyed the same way); only
   * points newer than {@code sinceEpochSeconds} (use {@link Double#NEGATIVE_INFINITY} for all).
   */
  public synchronized Map<String, Object> toMap(double sinceEpochSeconds) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("interval_seconds", INTERVAL.toSeconds());
    map.put("capacity", CAPACITY);
    map.put("newest", ring.size() == 0 ? null : ring.newest());
    map.putAll(ring.toMap(sinceEpochSeconds, PROVIDER_FIELDS, GPU_FIELDS));
    return map;
  }

  /** Stops the sampling thread; the samples stay readable. */
  @Override
  public void close() {
    if (timer != null) {
      DaemonThreads.stop(timer);
    }
  }
}
