package dev.inferwatch.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Creates the {@link LabelGuard}s of one Inferwatch; owns {@code inferwatch_label_overflow_total}.
 */
final class Cardinality {

  private final Counter overflows;
  private final MetricNames names;

  Cardinality(MetricNames names, PrometheusRegistry registry) {
    this.names = names;
    this.overflows =
        Counter.builder()
            .name(names.name("inferwatch_label_overflow_total"))
            .help("Label values folded into __overflow__ because a family reached its limit")
            .labelNames("family")
            .constLabels(names.constLabels())
            .register(registry);
  }

  /** A guard for one label of {@code family} (the family's base name, before the namespace). */
  LabelGuard guard(String family, int limit) {
    return new LabelGuard(limit, overflows(family));
  }

  /** The overflow count of {@code family}, for callers that fold values themselves. */
  CounterDataPoint overflows(String family) {
    return overflows.labelValues(names.name(family));
  }
}
