package dev.inferwatch.core.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/** client_java's JVM and process collectors, registered at most once per registry. */
public final class JvmCollectors {

  // Weak so a test registry that is dropped does not stay reachable from here.
  private static final Set<PrometheusRegistry> REGISTERED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private JvmCollectors() {}

  /** Registers the collectors in {@code registry} unless this was done before. */
  public static void registerOnce(PrometheusRegistry registry, Labels constLabels) {
    if (REGISTERED.add(registry)) {
      JvmMetrics.builder().constLabels(constLabels).register(registry);
    }
  }
}
