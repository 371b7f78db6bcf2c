package dev.inferwatch.core.models;

import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The per-model gauges of predictions under way: {@code model_predictions_in_progress} (started,
 * not finished), and of those, {@code model_predictions_waiting} (for a worker) and {@code
 * model_predictions_running} (on a worker), vLLM's {@code num_requests_waiting/running} for
 * predictions.
 */
final class PredictionGauges {

  /** The three points of one model. */
  record Points(GaugeDataPoint inProgress, GaugeDataPoint waiting, GaugeDataPoint running) {}

  private final Gauge inProgress;
  private final Gauge waiting;
  private final Gauge running;

  PredictionGauges(Naming names, PrometheusRegistry registry) {
    this.inProgress =
        gauge(names, MetricNames.PREDICTIONS_IN_PROGRESS, "Predictions under way")
            .register(registry);
    this.waiting =
        gauge(names, MetricNames.PREDICTIONS_WAITING, "Predictions waiting for a worker")
            .register(registry);
    this.running =
        gauge(names, MetricNames.PREDICTIONS_RUNNING, "Predictions a worker is running now")
            .register(registry);
  }

  Points of(String model) {
    return new Points(
        inProgress.labelValues(model), waiting.labelValues(model), running.labelValues(model));
  }

  private static Gauge.Builder gauge(Naming names, String name, String help) {
    return Gauge.builder()
        .name(names.name(name))
        .help(help)
        .labelNames("model")
        .constLabels(names.constLabels());
  }
}
