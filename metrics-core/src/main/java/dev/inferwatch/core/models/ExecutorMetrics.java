package dev.inferwatch.core.models;

import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;

/**
 * Callback gauges over the application's thread pools: queued tasks, active threads, pool size and
 * completed tasks, labelled by {@code pool}, read at scrape time.
 *
 * <pre>{@code
 * ThreadPoolExecutor workers = ...;
 * iw.executors().monitor("inference", workers);
 * }</pre>
 *
 * <p>Pools are held weakly: a pool the application drops disappears from the scrape.
 */
public final class ExecutorMetrics {

  private static final int MAX_POOLS = 50;

  private final Map<String, WeakReference<ThreadPoolExecutor>> pools = new ConcurrentHashMap<>();
  private final LabelGuard names;

  /** Registers the families; built by {@code Inferwatch}, not by applications. */
  public ExecutorMetrics(Naming metricNames, PrometheusRegistry registry, Cardinality cardinality) {
    this.names = cardinality.guard(MetricNames.EXECUTOR_QUEUED, MAX_POOLS);
    gauge(
        metricNames,
        registry,
        MetricNames.EXECUTOR_QUEUED,
        "Tasks waiting in the pool's queue",
        e -> e.getQueue().size());
    gauge(
        metricNames,
        registry,
        MetricNames.EXECUTOR_ACTIVE,
        "Threads running a task",
        ThreadPoolExecutor::getActiveCount);
    gauge(
        metricNames,
        registry,
        MetricNames.EXECUTOR_POOL_SIZE,
        "Threads in the pool",
        ThreadPoolExecutor::getPoolSize);
    CounterWithCallback.builder()
        .name(metricNames.name(MetricNames.EXECUTOR_COMPLETED))
        .help("Tasks the pool has completed")
        .labelNames("pool")
        .constLabels(metricNames.constLabels())
        .callback(cb -> forEach((pool, e) -> cb.call((double) e.getCompletedTaskCount(), pool)))
        .register(registry);
  }

  /** Reports {@code executor} as {@code pool}; a second pool under the same name replaces it. */
  public void monitor(String pool, ThreadPoolExecutor executor) {
    if (executor == null) {
      throw new IllegalArgumentException("executor must not be null for pool '" + pool + "'");
    }
    pools.put(names.guard(pool), new WeakReference<>(executor));
  }

  private void gauge(
      Naming metricNames,
      PrometheusRegistry registry,
      String name,
      String help,
      ToDoubleFunction<ThreadPoolExecutor> read) {
    GaugeWithCallback.builder()
        .name(metricNames.name(name))
        .help(help)
        .labelNames("pool")
        .constLabels(metricNames.constLabels())
        .callback(cb -> forEach((pool, e) -> cb.call(read.applyAsDouble(e), pool)))
        .register(registry);
  }

  private void forEach(BiConsumer<String, ThreadPoolExecutor> each) {
    pools.forEach(
        (pool, ref) -> {
          ThreadPoolExecutor e = ref.get();
          if (e == null) {
            pools.remove(pool, ref);
          } else {
            each.accept(pool, e);
          }
        });
  }
}
