package dev.inferwatch.core.llm;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bound server-side data points of one (operation, provider, model) tuple, looked up once per
 * request so that the per-token path is two field reads and one histogram observation.
 */
final class LlmServerSeries {

  final LlmMetrics metrics;
  final String operation;
  final String provider;
  final String model;
  final DistributionDataPoint duration;
  final DistributionDataPoint timeToFirstToken;
  final DistributionDataPoint timePerOutputToken;
  final DistributionDataPoint interTokenLatency;
  final DistributionDataPoint queueTime;
  final DistributionDataPoint maxTokens;
  final TokenPoints tokens;
  final GaugeDataPoint streamsActive;
  final GaugeDataPoint running;
  final GaugeDataPoint waiting;
  final CounterDataPoint disconnects;
  private final CounterDataPoint[] requests;
  private final Map<String, DistributionDataPoint> failedDurations = new ConcurrentHashMap<>();

  LlmServerSeries(LlmMetrics metrics, String operation, String provider, String model) {
    this.metrics = metrics;
    this.operation = operation;
    this.provider = provider;
    this.model = model;
    this.duration = metrics.serverDuration.labelValues(operation, provider, model, "");
    this.timeToFirstToken = metrics.timeToFirstToken.labelValues(operation, provider, model);
    this.timePerOutputToken = metrics.timePerOutputToken.labelValues(operation, provider, model);
    this.interTokenLatency = metrics.interTokenLatency.labelValues(operation, provider, model);
    this.queueTime = metrics.queueTime.labelValues(operation, model);
    this.maxTokens = metrics.maxTokens.labelValues(model);
    this.tokens = new TokenPoints(metrics.serverTokens, operation, provider, model);
    this.streamsActive = metrics.streamsActive.labelValues(model);
    this.running = metrics.running.labelValues(model);
    this.waiting = metrics.waiting.labelValues(model);
    this.disconnects = metrics.disconnects.labelValues(model);
    FinishReason[] reasons = FinishReason.values();
    this.requests = new CounterDataPoint[reasons.length];
    for (FinishReason reason : reasons) {
      requests[reason.ordinal()] =
          metrics.serverRequests.labelValues(operation, provider, model, reason.label());
    }
  }

  CounterDataPoint requests(FinishReason reason) {
    return requests[reason.ordinal()];
  }

  /** The duration point of a failed request; error types are few, so this map stays small. */
  DistributionDataPoint failedDuration(String errorType) {
    String type = metrics.errorTypes.guard(errorType);
    return failedDurations.computeIfAbsent(
        type, t -> metrics.serverDuration.labelValues(operation, provider, model, t));
  }
}
