package dev.inferwatch.core.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Creates the {@link LabelGuard}s of one Inferwatch; owns {@code inferwatch_label_overflow_total}.
 */
public final class Cardinality {

  private final Counter overflows;
  private final Naming names;

  /** Registers {@code inferwatch_label_overflow_total} in {@code registry}. */
  public Cardinality(Naming names, PrometheusRegistry registry) {
    this.names = names;
    this.overflows =
        Counter.builder()
            .name(names.name(MetricNames.LABEL_OVERFLOW))
            .help("Label values folded into __overflow__ because a family reached its limit")
            .labelNames("family")
            .constLabels(names.constLabels())
            .register(registry);
  }

  /** A guard for one label of {@code family} (the family's base name, before the namespace). */
  public LabelGuard guard(String family, int limit) {
    return new LabelGuard(limit, overflows(family));
  }

  /** The overflow count of {@code family}, for callers that fold values themselves. */
  public CounterDataPoint overflows(String family) {
    return overflows.labelValues(names.name(family));
  }
}
