package dev.inferwatch.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The kit against what a user would pick instead, each measured in the same run: per request
 * ({@code PeerFilterBenchmark}), end to end ({@code ThroughputRatio}), per scrape ({@code
 * ScrapeBenchmark}), and streaming against a bare SSE servlet ({@code StreamingRatio}).
 */
final class PeerTargets {

  static final String PEERS = "PeerFilterBenchmark.";
  static final String E2E = "ThroughputRatio.";
  static final String STREAM = "StreamingRatio.";
  static final String SPRING = "Spring ServerHttpObservationFilter → Micrometer Prometheus";
  static final String OTEL = "OpenTelemetry SDK filter";
  static final String AGENT = "OpenTelemetry Java agent";
  static final int CONNECTIONS = 4;
  static final int[] STREAMS = {1, 64, 512};

  static final List<Target> ALL = all();

  private PeerTargets() {}

  private static List<Target> all() {
    List<Target> all = new ArrayList<>();
    for (int threads = 1; threads <= 2; threads++) {
      String t = threads == 1 ? "1 thread" : threads + " threads";
      all.add(
          Target.ratioAtMost(
              "per request vs Spring's observation, " + t,
              PEERS + "inferwatch",
              threads,
              PEERS + "springObservation",
              SPRING,
              0.5));
      all.add(
          Target.ratioAtMost(
              "per request vs the OpenTelemetry SDK, " + t,
              PEERS + "inferwatch",
              threads,
              PEERS + "otelSdk",
              OTEL,
              0.5));
      all.add(
          Target.reportedAllocation(
              "allocation per request, MetricsFilter (native histograms on), " + t,
              PEERS + "inferwatch",
              threads,
              PEERS + "chainOnly",
              "the routed chain alone"));
      all.add(
          Target.reportedAllocation(
              "allocation per request, Spring's observation, " + t,
              PEERS + "springObservation",
              threads,
              PEERS + "chainOnly",
              "the routed chain alone"));
      all.add(
          Target.reportedAllocation(
              "allocation per request, OpenTelemetry SDK filter, " + t,
              PEERS + "otelSdk",
              threads,
              PEERS + "chainOnly",
              "the routed chain alone"));
    }
    all.add(
        Target.reported(
            "scrape, 10,000 series, MetricsServlet vs Micrometer",
            "ScrapeBenchmark.metricsServlet",
            1,
            "ScrapeBenchmark.micrometerScrape",
            "PrometheusMeterRegistry.scrape()"));
    all.add(
        Target.ratioAtLeast(
            "end-to-end throughput vs Spring's observation",
            E2E + "withFilter",
            CONNECTIONS,
            E2E + "withSpringObservation",
            SPRING,
            1.0));
    all.add(
        Target.ratioAtLeast(
            "end-to-end throughput vs the OpenTelemetry SDK",
            E2E + "withFilter",
            CONNECTIONS,
            E2E + "withOtelSdk",
            OTEL,
            1.0));
    all.add(
        Target.ratioAtLeast(
            "end-to-end throughput vs the OpenTelemetry Java agent",
            E2E + "withFilter",
            CONNECTIONS,
            E2E + "withOtelAgent",
            AGENT,
            1.0));
    all.add(p99("Spring's observation", "withSpringObservationP99"));
    all.add(p99("the OpenTelemetry SDK filter", "withOtelSdkP99"));
    all.add(p99("the OpenTelemetry Java agent", "withOtelAgentP99"));
    for (int streams : STREAMS) {
      String s = streams == 1 ? "1 stream" : streams + " concurrent streams";
      all.add(
          Target.ratioAtLeast(
              "streaming tokens/s, " + s,
              STREAM + "chatServlet",
              streams,
              STREAM + "bareSse",
              "bare async SSE servlet, same chunks",
              0.95));
      all.add(
          Target.reported(
              "streaming p99 gap between chunks, " + s,
              STREAM + "chatServletGapP99",
              streams,
              STREAM + "bareSseGapP99",
              "bare async SSE servlet"));
    }
    return List.copyOf(all);
  }

  private static Target p99(String peer, String arm) {
    return Target.reported(
        "end-to-end p99 latency, " + peer,
        E2E + arm,
        CONNECTIONS,
        E2E + "withFilterP99",
        "MetricsFilter");
  }
}
