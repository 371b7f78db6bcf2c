package dev.inferwatch.benchmarks;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Instances for benchmarks: each on its own registry, without JVM metrics or discovered modules, so
 * a figure holds only what the benchmark calls.
 */
public final class Isolated {

  private Isolated() {}

  /** A builder with a fresh registry, JVM metrics off and module discovery off. */
  public static Inferwatch.Builder inferwatch() {
    return Inferwatch.builder()
        .registry(new PrometheusRegistry())
        .jvmMetrics(false)
        .discoverModules(false);
  }
}
