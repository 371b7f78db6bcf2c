package dev.inferwatch.core.history;

import static dev.inferwatch.core.internal.Snapshots.exposedName;
import static dev.inferwatch.core.internal.Snapshots.label;
import static dev.inferwatch.core.internal.Snapshots.value;

import dev.inferwatch.core.internal.MergedHistogram;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import dev.inferwatch.core.internal.ProcessMemory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads one sample from the registry: rates and interval quantiles from the difference with the
 * previous sample (quantiles from native buckets, {@link MergedHistogram}), gauges as they are.
 */
final class Sampler {

  private final PrometheusRegistry registry;
  private final Naming names;
  private final Set<String> wanted;
  private final Map<String, MetricSnapshot> families = new HashMap<>();
  private long lastNanos = Long.MIN_VALUE;
  private double lastRequests;
  private double lastServerErrors;
  private double lastOutputTokens;
  private MergedHistogram lastDurations = new MergedHistogram();
  private MergedHistogram lastTimeToFirstToken = new MergedHistogram();

  Sampler(PrometheusRegistry registry, Naming names) {
    this.registry = registry;
    this.names = names;
    this.wanted =
        Set.of(
            name(MetricNames.HTTP_REQUESTS),
            name(MetricNames.HTTP_DURATION),
            name(MetricNames.HTTP_ACTIVE),
            name(MetricNames.GEN_AI_SERVER_TOKENS),
            name(MetricNames.GEN_AI_CLIENT_TOKENS),
            name(MetricNames.GEN_AI_TTFT),
            name(MetricNames.GEN_AI_STREAMS_ACTIVE),
            name(MetricNames.PROVIDER_HEALTH),
            name(MetricNames.GPU_UTILIZATION),
            name(MetricNames.GPU_MEMORY_USED));
  }

  void sampleInto(Ring ring, long epochSeconds, long nanos) {
    families.clear();
    for (MetricSnapshot snapshot :
        registry.scrape(n -> wanted.contains(n) || wanted.contains(n + "_total"))) {
      families.put(exposedName(snapshot), snapshot);
    }
    int slot = ring.begin(epochSeconds);
    double requests = sum(MetricNames.HTTP_REQUESTS, p -> true);
    double serverErrors = sum(MetricNames.HTTP_REQUESTS, p -> label(p, "status").startsWith("5"));
    // Tokens this server served; a gateway that only calls providers has its calls' tokens.
    double outputTokens = outputTokens(MetricNames.GEN_AI_SERVER_TOKENS);
    if (points(MetricNames.GEN_AI_SERVER_TOKENS).isEmpty()) {
      outputTokens = outputTokens(MetricNames.GEN_AI_CLIENT_TOKENS);
    }
    MergedHistogram durations = merged(MetricNames.HTTP_DURATION);
    MergedHistogram timeToFirstToken = merged(MetricNames.GEN_AI_TTFT);
    if (lastNanos != Long.MIN_VALUE && nanos - lastNanos > 0) {
      double seconds = (nanos - lastNanos) / 1e9;
      double served = Math.max(0, requests - lastRequests);
      ring.set(slot, Series.HTTP_REQUESTS_PER_SECOND, served / seconds);
      ring.set(
          slot,
          Series.HTTP_5XX_RATIO,
          served == 0 ? 0 : Math.max(0, serverErrors - lastServerErrors) / served);
      MergedHistogram interval = durations.since(lastDurations);
      ring.set(slot, Series.HTTP_P50_SECONDS, orNaN(interval.quantile(0.5)));
      ring.set(slot, Series.HTTP_P95_SECONDS, orNaN(interval.quantile(0.95)));
      ring.set(slot, Series.HTTP_P99_SECONDS, orNaN(interval.quantile(0.99)));
      ring.set(
          slot,
          Series.LLM_OUTPUT_TOKENS_PER_SECOND,
          Math.max(0, outputTokens - lastOutputTokens) / seconds);
      ring.set(
          slot,
          Series.LLM_TTFT_P95_SECONDS,
          orNaN(timeToFirstToken.since(lastTimeToFirstToken).quantile(0.95)));
    }
    ring.set(slot, Series.HTTP_IN_FLIGHT, sum(MetricNames.HTTP_ACTIVE, p -> true));
    ring.set(slot, Series.LLM_STREAMS_ACTIVE, sum(MetricNames.GEN_AI_STREAMS_ACTIVE, p -> true));
    Long rss = ProcessMemory.read().get("rss_bytes");
    ring.set(slot, Series.PROCESS_RESIDENT_MEMORY_BYTES, rss == null ? Double.NaN : rss);
    ring.set(
        slot,
        Series.JVM_HEAP_USED_BYTES,
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    for (DataPointSnapshot p : points(MetricNames.PROVIDER_HEALTH)) {
      ring.providers().set(slot, label(p, "provider"), 0, value(p));
    }
    for (DataPointSnapshot p : points(MetricNames.GPU_UTILIZATION)) {
      ring.gpus().set(slot, label(p, "gpu"), 0, value(p));
    }
    for (DataPointSnapshot p : points(MetricNames.GPU_MEMORY_USED)) {
      ring.gpus().set(slot, label(p, "gpu"), 1, value(p));
    }
    lastNanos = nanos;
    lastRequests = requests;
    lastServerErrors = serverErrors;
    lastOutputTokens = outputTokens;
    lastDurations = durations;
    lastTimeToFirstToken = timeToFirstToken;
  }

  private double outputTokens(String family) {
    double total = 0;
    for (DataPointSnapshot p : points(family)) {
      if ("output".equals(label(p, "token_type"))) {
        total += ((HistogramDataPointSnapshot) p).getSum();
      }
    }
    return total;
  }

  private MergedHistogram merged(String family) {
    MergedHistogram merged = new MergedHistogram();
    for (DataPointSnapshot p : points(family)) {
      if (p instanceof HistogramDataPointSnapshot histogram) {
        merged.add(histogram);
      }
    }
    return merged;
  }

  private double sum(String family, Predicate<DataPointSnapshot> filter) {
    double total = 0;
    for (DataPointSnapshot p : points(family)) {
      if (filter.test(p)) {
        total += value(p);
      }
    }
    return total;
  }

  @SuppressWarnings("unchecked")
  private List<DataPointSnapshot> points(String family) {
    MetricSnapshot snapshot = families.get(name(family));
    return snapshot == null ? List.of() : (List<DataPointSnapshot>) snapshot.getDataPoints();
  }

  private String name(String base) {
    return names.name(base);
  }

  private static double orNaN(Double value) {
    return value == null ? Double.NaN : value;
  }
}
