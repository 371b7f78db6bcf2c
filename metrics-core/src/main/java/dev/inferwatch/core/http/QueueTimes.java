package dev.inferwatch.core.http;

import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code http_server_request_queue_duration_seconds{method}}: from the request's arrival at the
 * container (parsing, waiting for a thread) to the filter. Only a container adapter knows the
 * arrival, so series appear once one is installed; the data point of each method is bound on first
 * use and held.
 */
final class QueueTimes {

  private final Histogram histogram;
  private final AtomicReferenceArray<DistributionDataPoint> byMethod =
      new AtomicReferenceArray<>(HttpMethod.all().length);

  QueueTimes(Naming names, PrometheusRegistry registry) {
    this.histogram =
        Histogram.builder()
            .name(names.name(MetricNames.HTTP_QUEUE_DURATION))
            .help("Time from the request's arrival at the container until the filter saw it")
            .labelNames("method")
            .classicUpperBounds(Buckets.QUEUE_SECONDS)
            .constLabels(names.constLabels())
            .register(registry);
  }

  void record(HttpMethod method, double seconds) {
    DistributionDataPoint point = byMethod.get(method.ordinal());
    if (point == null) {
      point = histogram.labelValues(method.name());
      byMethod.set(method.ordinal(), point);
    }
    point.observe(seconds);
  }
}
