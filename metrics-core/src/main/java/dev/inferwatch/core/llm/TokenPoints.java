package dev.inferwatch.core.llm;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The token usage points of one (operation, provider, model) tuple in one usage family (served or
 * client): {@code input} and {@code output} bound up front, {@code cache_read} and {@code
 * reasoning} on first use, so a model that never reports them shows no empty series for them.
 */
final class TokenPoints {

  static final String INPUT = "input";
  static final String OUTPUT = "output";
  static final String CACHE_READ = "cache_read";
  static final String REASONING = "reasoning";

  private final Histogram family;
  private final String operation;
  private final String provider;
  private final String model;
  private final DistributionDataPoint input;
  private final DistributionDataPoint output;
  private volatile DistributionDataPoint cacheRead;
  private volatile DistributionDataPoint reasoning;

  TokenPoints(Histogram family, String operation, String provider, String model) {
    this.family = family;
    this.operation = operation;
    this.provider = provider;
    this.model = model;
    this.input = family.labelValues(operation, provider, model, INPUT);
    this.output = family.labelValues(operation, provider, model, OUTPUT);
  }

  /** Observes every count that is known (not negative). */
  void observe(long inputTokens, long outputTokens, long cacheReadTokens, long reasoningTokens) {
    if (inputTokens >= 0) {
      input.observe(inputTokens);
    }
    if (outputTokens >= 0) {
      output.observe(outputTokens);
    }
    if (cacheReadTokens >= 0) {
      DistributionDataPoint point = cacheRead;
      if (point == null) {
        point = cacheRead = family.labelValues(operation, provider, model, CACHE_READ);
      }
      point.observe(cacheReadTokens);
    }
    if (reasoningTokens >= 0) {
      DistributionDataPoint point = reasoning;
      if (point == null) {
        point = reasoning = family.labelValues(operation, provider, model, REASONING);
      }
      point.observe(reasoningTokens);
    }
  }
}
