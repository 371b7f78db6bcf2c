package dev.inferwatch.core.providers;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The router's own families beside the per-provider ones: anomalies, active trials and
 * fallthroughs. {@link ProviderMetrics} fronts them and contains their failures.
 */
final class RouterFamilies {

  private final EventJournal events;
  private final Counter anomalies;
  private final Gauge trials;
  private final Counter fallthroughs;
  private final LabelGuard anomalyTypes;
  private final LabelGuard profiles;

  RouterFamilies(
      Naming names, PrometheusRegistry registry, Cardinality cardinality, EventJournal events) {
    this.events = events;
    this.anomalies =
        Counter.builder()
            .name(names.name(MetricNames.ANOMALIES))
            .help("Anomalies reported by the host's detectors, by type")
            .labelNames("type")
            .constLabels(names.constLabels())
            .register(registry);
    this.trials =
        Gauge.builder()
            .name(names.name(MetricNames.TRIALS_ACTIVE))
            .help("Trials currently active")
            .constLabels(names.constLabels())
            .register(registry);
    this.fallthroughs =
        Counter.builder()
            .name(names.name(MetricNames.ROUTER_FALLTHROUGH))
            .help("Requests for which the router ran out of providers, by routing profile")
            .labelNames("profile")
            .constLabels(names.constLabels())
            .register(registry);
    this.anomalyTypes =
        cardinality.guard(MetricNames.ANOMALIES, ProviderMetrics.DEFAULT_TYPE_LIMIT);
    this.profiles =
        cardinality.guard(MetricNames.ROUTER_FALLTHROUGH, ProviderMetrics.DEFAULT_TYPE_LIMIT);
  }

  void anomaly(String type) {
    String t = anomalyTypes.guard(type);
    anomalies.labelValues(t).inc();
    events.emit(EventType.ANOMALY_DETECTED, t, "anomaly detected: " + t);
  }

  void initAnomaly(String type) {
    anomalies.labelValues(anomalyTypes.guard(type));
  }

  void trials(int count) {
    trials.set(count);
  }

  void fallthrough(String profile) {
    String p = profiles.guard(profile);
    fallthroughs.labelValues(p).inc();
    events.emit(EventType.ROUTER_FALLTHROUGH, p, "no provider left for profile " + p);
  }

  void initFallthrough(String profile) {
    fallthroughs.labelValues(profiles.guard(profile));
  }
}
