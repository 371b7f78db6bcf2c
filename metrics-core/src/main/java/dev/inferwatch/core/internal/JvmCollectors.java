package dev.inferwatch.core.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * client_java's JVM and process collectors, registered at most once per registry: the set of {@code
 * JvmMetrics}, with the allocation counter replaced by {@link JvmAllocations}, whose GC listener
 * can be removed again (client_java's cannot, and pins an undeployed web application).
 */
public final class JvmCollectors {

  // Weak so a test registry that is dropped does not stay reachable from here.
  private static final Set<PrometheusRegistry> REGISTERED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private JvmCollectors() {}

  /**
   * Registers the collectors in {@code registry} unless this was done before; closing what is
   * returned takes the JVM-wide listeners off again (a no-op when nothing was registered).
   */
  public static AutoCloseable registerOnce(PrometheusRegistry registry, Labels constLabels) {
    if (!REGISTERED.add(registry)) {
      return () -> {};
    }
    JvmThreadsMetrics.builder().constLabels(constLabels).register(registry);
    JvmBufferPoolMetrics.builder().constLabels(constLabels).register(registry);
    JvmClassLoadingMetrics.builder().constLabels(constLabels).register(registry);
    JvmCompilationMetrics.builder().constLabels(constLabels).register(registry);
    JvmGarbageCollectorMetrics.builder().constLabels(constLabels).register(registry);
    JvmMemoryMetrics.builder().constLabels(constLabels).register(registry);
    JvmNativeMemoryMetrics.builder().constLabels(constLabels).register(registry);
    JvmRuntimeInfoMetric.builder().constLabels(constLabels).register(registry);
    ProcessMetrics.builder().constLabels(constLabels).register(registry);
    JvmAllocations allocations = JvmAllocations.register(registry, constLabels);
    return allocations;
  }
}
