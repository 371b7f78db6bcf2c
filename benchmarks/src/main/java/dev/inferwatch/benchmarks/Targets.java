package dev.inferwatch.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Every figure the README may claim, one row each: the kit's own here, against peers in {@link
 * PeerTargets}, footprint and growth in {@link GrowthTargets}. A new benchmark class is picked up
 * by {@code run.sh} on its own; adding its row puts it in {@code RESULTS.md} and {@code
 * results.json}.
 */
final class Targets {

  private Targets() {}

  static final String FILTER = "FilterOverheadBenchmark.";
  static final String CLASSIC = "FilterClassicOnlyBenchmark.";
  static final String ROUTES = "RouteNormalizationBenchmark.";
  static final String BUSINESS = "BusinessCounterBenchmark.";
  static final String SCRAPE = "ScrapeBenchmark.";
  static final String PROVIDERS = "ProviderHelperBenchmark.";
  static final String JOURNAL = "EventJournalBenchmark.";
  static final String TOKENS = "LlmTokenBenchmark.";
  static final String LANGCHAIN4J = "LangChain4jListenerBenchmark.";
  static final String GPU = "GpuPollBenchmark.";
  static final String E2E = "ThroughputRatio.";

  /** The kit's own figures against raw client_java operations. */
  static final List<Target> KIT =
      List.of(
          Target.ratioAtMost(
              "filter overhead, 1 thread",
              FILTER + "filter",
              1,
              FILTER + "rawOperations",
              "raw client_java ops",
              1.5),
          Target.ratioAtMost(
              "filter overhead, 2 threads",
              FILTER + "filter",
              2,
              FILTER + "rawOperations",
              "raw client_java ops",
              1.5),
          Target.reported(
              "filter with request ids (the default) vs without",
              FILTER + "filter",
              1,
              FILTER + "filterWithoutRequestIds",
              "request ids off"),
          Target.reported(
              "filter behind a container adapter (arrival and queue time) vs without",
              FILTER + "filterBehindAdapter",
              1,
              FILTER + "filter",
              "no adapter"),
          Target.reported(
              "filter vs a no-op filter, 1 thread",
              FILTER + "filter",
              1,
              FILTER + "noOpFilter",
              "no-op filter"),
          Target.allocationAtMostBaseline(
              "filter allocation (classic + native histograms: client_java's native observe)",
              FILTER + "filter",
              1,
              FILTER + "rawOperations",
              "raw client_java ops"),
          Target.ratioAtMost(
              "filter overhead, classic-only histograms, 1 thread",
              CLASSIC + "filter",
              1,
              CLASSIC + "rawOperations",
              "raw client_java ops",
              1.5),
          Target.noAllocation(
              "filter allocation, classic-only histograms",
              CLASSIC + "filter",
              1,
              CLASSIC + "rawOperations",
              "raw client_java ops"),
          Target.reported("route: cached hit", ROUTES + "cachedHit", 1, null, null),
          Target.noAllocation("route: cached hit allocation", ROUTES + "cachedHit", 1, null, null),
          Target.reported(
              "route: first-seen path",
              ROUTES + "firstSeen",
              1,
              ROUTES + "cachedHit",
              "cached hit"),
          Target.reported(
              "route: new route past the cap (overflow)",
              ROUTES + "overflowRoute",
              1,
              ROUTES + "cachedHit",
              "cached hit"),
          Target.reported(
              "route: 10^5 distinct paths, bounded cache",
              ROUTES + "distinctPaths",
              1,
              ROUTES + "cachedHit",
              "cached hit"),
          Target.reported(
              "business(): counter(..).increment(..) inline",
              BUSINESS + "oneLiner",
              1,
              BUSINESS + "rawLabelValues",
              "client_java labelValues().inc()"),
          Target.reported(
              "business(): held DomainCounter.increment(..)",
              BUSINESS + "heldHandle",
              1,
              BUSINESS + "rawLabelValues",
              "client_java labelValues().inc()"),
          Target.reported(
              "providers(): recordProviderResponseTime(..)",
              PROVIDERS + "responseTime",
              1,
              PROVIDERS + "rawObserve",
              "client_java labelValues().observe()"),
          Target.reported(
              "providers(): recordProviderOutcome(.., OK)",
              PROVIDERS + "outcomeOk",
              1,
              PROVIDERS + "rawObserve",
              "client_java labelValues().observe()"),
          Target.reported("events(): emit(..), ring only", JOURNAL + "emit", 1, null, null),
          Target.reported(
              "events(): emit(..) with the JSONL mirror",
              JOURNAL + "emitWithJsonl",
              1,
              JOURNAL + "emit",
              "ring only"),
          Target.ratioAtMost(
              "llm(): LlmRecorder.token() per token",
              TOKENS + "token",
              1,
              TOKENS + "rawObserve",
              "nanoTime + bound observe()",
              1.5),
          Target.reported(
              "llm(): one request (serve, token, finish)",
              TOKENS + "request",
              1,
              TOKENS + "token",
              "one token"),
          Target.reported(
              "langchain4j: listener, one call (onRequest + onResponse)",
              LANGCHAIN4J + "listenerCall",
              1,
              LANGCHAIN4J + "byHand",
              "llm().call(..) with usage, by hand"),
          Target.reported(
              "langchain4j: listener, one call, vs all it records by hand",
              LANGCHAIN4J + "listenerCall",
              1,
              LANGCHAIN4J + "byHandWithProvider",
              "llm().call(..) + providers().startCall(..), by hand"),
          Target.reportedAllocation(
              "langchain4j: listener, one call, allocation",
              LANGCHAIN4J + "listenerCall",
              1,
              LANGCHAIN4J + "byHandWithProvider",
              "the same by hand"),
          Target.reported(
              "langchain4j: timeChunks stream of 16 chunks through LangChain4j's chat(..)",
              LANGCHAIN4J + "streamWithListener",
              1,
              LANGCHAIN4J + "streamByHand",
              "the same by hand"),
          Target.reportedAllocation(
              "langchain4j: timeChunks stream of 16 chunks, allocation",
              LANGCHAIN4J + "streamWithListener",
              1,
              LANGCHAIN4J + "oneChunkStreamWithListener",
              "the same with 1 chunk"),
          Target.ratioAtMost(
              "scrape, 10,000 series, MetricsServlet",
              SCRAPE + "metricsServlet",
              1,
              SCRAPE + "prometheusMetricsServlet",
              "PrometheusMetricsServlet",
              1.1),
          Target.atMost(
              "GPU poll per device, 8 fake devices with every reading, MIG (2 instances each) and"
                  + " XID watch on (fake libnvidia-ml.so through JNA)",
              GPU + "pollPerDevice",
              1,
              50,
              "us/op",
              GPU + "oneNvmlCall",
              "one NVML call through JNA"),
          Target.reported(
              "text scrape with the GPU families of 8 devices",
              GPU + "scrapeWithGpu",
              1,
              GPU + "scrapeWithoutGpu",
              "same scrape without the GPU module"),
          Target.ratioAtLeast(
              "end-to-end throughput, Jetty 12 /hello",
              E2E + "withFilter",
              4,
              E2E + "withoutFilter",
              "same server without the filter",
              0.98),
          Target.reported(
              "end-to-end throughput, filter vs a no-op filter",
              E2E + "withFilter",
              4,
              E2E + "withNoOpFilter",
              "same server with a no-op filter"),
          Target.reported(
              "end-to-end p99 latency, Jetty 12 /hello",
              E2E + "withFilterP99",
              4,
              E2E + "withoutFilterP99",
              "same server without the filter"));

  /** Every row, in the order of the results table. */
  static final List<Target> ALL = all();

  private static List<Target> all() {
    List<Target> all = new ArrayList<>(KIT);
    all.addAll(PeerTargets.ALL);
    all.addAll(GrowthTargets.ALL);
    return List.copyOf(all);
  }
}
