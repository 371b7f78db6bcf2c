package dev.inferwatch.core.llm;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The bound client-side data points of one (operation, provider, model) tuple. */
final class LlmClientSeries {

  final LlmMetrics metrics;
  final String operation;
  final String provider;
  final String model;
  final DistributionDataPoint duration;
  final DistributionDataPoint timeToFirstChunk;
  final DistributionDataPoint timePerOutputChunk;
  final TokenPoints tokens;
  final CounterDataPoint usageMissing;
  private final Map<String, DistributionDataPoint> failedDurations = new ConcurrentHashMap<>();

  LlmClientSeries(LlmMetrics metrics, String operation, String provider, String model) {
    this.metrics = metrics;
    this.operation = operation;
    this.provider = provider;
    this.model = model;
    this.duration = metrics.clientDuration.labelValues(operation, provider, model, "");
    this.timeToFirstChunk = metrics.timeToFirstChunk.labelValues(operation, provider, model);
    this.timePerOutputChunk = metrics.timePerOutputChunk.labelValues(operation, provider, model);
    this.tokens = new TokenPoints(metrics.clientTokens, operation, provider, model);
    this.usageMissing = metrics.usageMissing.labelValues(provider, model);
  }

  DistributionDataPoint failedDuration(String errorType) {
    String type = metrics.errorTypes.guard(errorType);
    return failedDurations.computeIfAbsent(
        type, t -> metrics.clientDuration.labelValues(operation, provider, model, t));
  }
}
