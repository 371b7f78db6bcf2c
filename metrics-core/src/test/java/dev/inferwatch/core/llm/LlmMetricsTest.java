package dev.inferwatch.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.MetricNames;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class LlmMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final Samples samples = new Samples(registry);

  @Test
  void recordsTokensTimeToFirstTokenAndOutcomeOfAStream() {
    LlmRecorder r = iw.llm().serve("local", "llama", "chat", true);
    assertThat(samples.value(MetricNames.GEN_AI_STREAMS_ACTIVE, "model", "llama")).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      r.token();
    }
    r.finish(FinishReason.STOP, 7, 5);

    assertThat(samples.value(MetricNames.GEN_AI_TTFT, "model", "llama", "provider", "local"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_ITL, "model", "llama", "operation", "chat"))
        .isEqualTo(4);
    assertThat(samples.value(MetricNames.GEN_AI_TPOT, "model", "llama")).isEqualTo(1);
    assertThat(
            samples.value(MetricNames.GEN_AI_SERVER_DURATION, "model", "llama", "error_type", ""))
        .isEqualTo(1);
    assertThat(samples.sum(MetricNames.GEN_AI_SERVER_TOKENS, "token_type", "input")).isEqualTo(7);
    assertThat(samples.sum(MetricNames.GEN_AI_SERVER_TOKENS, "token_type", "output")).isEqualTo(5);
    assertThat(samples.has(MetricNames.GEN_AI_CLIENT_TOKENS)).isTrue();
    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TOKENS)).isZero();
    assertThat(
            samples.value(
                MetricNames.GEN_AI_SERVER_REQUESTS,
                "model",
                "llama",
                "provider",
                "local",
                "finish_reason",
                "stop"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_STREAMS_ACTIVE)).isZero();
    assertThat(iw.llm().streamsActive()).isZero();
  }

  @Test
  void countsOnlyTheFirstOutcomeWhenDisconnectAndFailureRace() {
    LlmRecorder r = iw.llm().serve("local", "llama", "chat", true);
    r.token();
    r.disconnect();
    r.fail("IOException");
    r.finish(FinishReason.STOP, 1, 1);

    assertThat(samples.value(MetricNames.GEN_AI_STREAM_DISCONNECTS, "model", "llama")).isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_REQUESTS, "finish_reason", "abort"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_REQUESTS)).isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_DURATION, "error_type", "abort"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_TTFT)).isZero();
    assertThat(samples.value(MetricNames.GEN_AI_STREAMS_ACTIVE)).isZero();
  }

  @Test
  void failuresCarryTheirErrorType() {
    iw.llm().serve("local", "llama", "chat", false).fail("timeout");

    assertThat(samples.value(MetricNames.GEN_AI_SERVER_DURATION, "error_type", "timeout"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_REQUESTS, "finish_reason", "error"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_TOKENS)).isZero();
  }

  @Test
  void foldsUnknownModelsIntoOverflowButKeepsConfiguredOnes() {
    iw.llm().allowModel("configured");
    for (int i = 0; i < 1000; i++) {
      String model = "random-" + ThreadLocalRandom.current().nextLong();
      iw.llm().serve("local", model, "chat", false).finish(FinishReason.STOP, 1, 1);
    }
    iw.llm().serve("local", "configured", "chat", false).finish(FinishReason.STOP, 1, 1);

    assertThat(samples.labelValues(MetricNames.GEN_AI_SERVER_REQUESTS, "model"))
        .hasSize(LlmMetrics.DEFAULT_MAX_MODELS + 1)
        .contains("configured", LabelGuard.OVERFLOW);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_REQUESTS, "model", "configured"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_REQUESTS)).isEqualTo(1001);
  }

  @Test
  void aCallThatEndsWithoutUsageRecordsUsageAsMissingNotZero() {
    try (LlmCall call = iw.llm().call("openai", "gpt-4o", "chat")) {
      call.firstToken();
    }
    try (LlmCall call = iw.llm().call("openai", "gpt-4o", "chat")) {
      call.usage(10, 20);
    }
    iw.llm().call("openai", "gpt-4o", "chat").failed(new IllegalStateException()).close();

    assertThat(samples.value(MetricNames.GEN_AI_USAGE_MISSING, "provider", "openai")).isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TOKENS, "token_type", "output"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_DURATION, "error_type", "")).isEqualTo(2);
    assertThat(
            samples.value(
                MetricNames.GEN_AI_CLIENT_DURATION, "error_type", "IllegalStateException"))
        .isEqualTo(1);
  }

  @Test
  void recordTokensSkipsAbsentCounts() {
    iw.llm().recordTokens("openai", "gpt-4o", 12, -1);

    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TOKENS, "token_type", "input")).isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TOKENS, "token_type", "output")).isZero();
  }

  @Test
  void timePerOutputTokenDividesByTheReportedOutputTokensNotTheChunks() throws Exception {
    LlmRecorder r = iw.llm().serve("local", "llama", "chat", true);
    Thread.sleep(20);
    long first = System.nanoTime();
    r.token();
    for (int i = 0; i < 3; i++) {
      Thread.sleep(10);
      r.token();
    }
    long beforeFinish = System.nanoTime();
    r.finish(FinishReason.STOP, 5, 12); // 4 chunks of 3 tokens
    long afterFinish = System.nanoTime();

    double tpot = samples.sum(MetricNames.GEN_AI_TPOT);
    assertThat(tpot).isBetween((beforeFinish - first) / 1e9 / 11, (afterFinish - first) / 1e9 / 11);
    double perChunkGaps = samples.sum(MetricNames.GEN_AI_ITL) / 3;
    assertThat(tpot).isLessThan(perChunkGaps / 2);
    assertThat(samples.value(MetricNames.GEN_AI_ITL)).isEqualTo(3);
  }

  @Test
  void withoutUsageTheChunkCountStandsForTheOutput() {
    LlmRecorder r = iw.llm().serve("local", "llama", "chat", true);
    r.token();
    r.token();
    r.token();
    r.finish(FinishReason.LENGTH, -1, -1);

    assertThat(samples.sum(MetricNames.GEN_AI_SERVER_TOKENS, "token_type", "output")).isEqualTo(3);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_TOKENS, "token_type", "input")).isZero();
    assertThat(samples.value(MetricNames.GEN_AI_TPOT)).isEqualTo(1);
  }

  @Test
  void cachedAndReasoningTokensHaveTheirOwnTypesOnBothSides() {
    iw.llm().serve("local", "llama", "chat", false).finish(FinishReason.STOP, 100, 40, 64, 25);
    try (LlmCall call = iw.llm().call("openai", "o3", "chat")) {
      call.usage(200, 90, 128, 70);
    }
    iw.llm().serve("local", "plain", "chat", false).finish(FinishReason.STOP, 3, 4);

    assertThat(samples.sum(MetricNames.GEN_AI_SERVER_TOKENS, "token_type", "cache_read"))
        .isEqualTo(64);
    assertThat(samples.sum(MetricNames.GEN_AI_SERVER_TOKENS, "token_type", "reasoning"))
        .isEqualTo(25);
    assertThat(samples.sum(MetricNames.GEN_AI_CLIENT_TOKENS, "token_type", "cache_read"))
        .isEqualTo(128);
    assertThat(samples.sum(MetricNames.GEN_AI_CLIENT_TOKENS, "token_type", "reasoning"))
        .isEqualTo(70);
    assertThat(samples.labelValues(MetricNames.GEN_AI_SERVER_TOKENS, "token_type"))
        .containsExactlyInAnyOrder("input", "output", "cache_read", "reasoning");
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_TOKENS, "model", "plain")).isEqualTo(2);
  }

  @Test
  void timeToFirstTokenAndTimePerOutputTokenDescribeSuccessfulRequestsOnly() {
    LlmRecorder failed = iw.llm().serve("local", "llama", "chat", true);
    failed.token();
    failed.token();
    failed.fail("IllegalStateException");
    LlmRecorder cut = iw.llm().serve("local", "llama", "chat", true);
    cut.token();
    cut.token();
    cut.disconnect();
    LlmRecorder filtered = iw.llm().serve("local", "llama", "chat", true);
    filtered.token();
    filtered.token();
    filtered.finish(FinishReason.CONTENT_FILTER, 1, 2);

    assertThat(samples.value(MetricNames.GEN_AI_TTFT)).isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_TPOT)).isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_ITL)).isEqualTo(3);
    assertThat(samples.labelValues(MetricNames.GEN_AI_SERVER_REQUESTS, "finish_reason"))
        .containsExactlyInAnyOrder(
            "stop", "length", "content_filter", "tool_calls", "error", "abort");
  }

  @Test
  void queuedThenRunningMovesTheGaugesAndObservesTheQueueTime() throws Exception {
    LlmRecorder r = iw.llm().serve("local", "llama", "chat", false);
    r.maxTokens(300);
    r.queued();
    assertThat(iw.llm().requestsWaiting()).isEqualTo(1);
    assertThat(iw.llm().requestsRunning()).isZero();
    Thread.sleep(30);
    r.running();
    r.queued();
    assertThat(iw.llm().requestsWaiting()).isZero();
    assertThat(iw.llm().requestsRunning()).isEqualTo(1);
    r.finish(FinishReason.STOP, 1, 1);
    r.running();

    assertThat(iw.llm().requestsRunning()).isZero();
    assertThat(samples.value(MetricNames.GEN_AI_QUEUE_TIME, "operation", "chat", "model", "llama"))
        .isEqualTo(1);
    assertThat(samples.sum(MetricNames.GEN_AI_QUEUE_TIME)).isGreaterThanOrEqualTo(0.03);
    assertThat(samples.sum(MetricNames.GEN_AI_MAX_TOKENS, "model", "llama")).isEqualTo(300);
  }

  @Test
  void aQueuedRequestThatEndsLeavesTheWaitingGaugeAtZero() {
    LlmRecorder r = iw.llm().serve("local", "llama", "chat", true);
    r.queued();
    r.disconnect();
    LlmRecorder never = iw.llm().serve("local", "llama", "chat", false);
    never.finish(FinishReason.STOP, 1, 1);

    assertThat(iw.llm().requestsWaiting()).isZero();
    assertThat(iw.llm().requestsRunning()).isZero();
    assertThat(samples.value(MetricNames.GEN_AI_QUEUE_TIME)).isZero();
    assertThat(samples.value(MetricNames.GEN_AI_STREAM_DISCONNECTS)).isEqualTo(1);
  }

  @Test
  void aStreamingCallRecordsTimeToFirstChunkAndEachLaterChunkGap() throws Exception {
    try (LlmCall call = iw.llm().call("openai", "gpt-4o", "chat")) {
      Thread.sleep(20);
      call.chunk();
      call.firstToken();
      call.chunk();
      call.chunk();
      call.usage(10, 3);
    }

    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TTFC, "provider", "openai")).isEqualTo(1);
    assertThat(samples.sum(MetricNames.GEN_AI_CLIENT_TTFC)).isGreaterThanOrEqualTo(0.02);
    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TPOC, "model", "gpt-4o")).isEqualTo(2);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_TOKENS)).isZero();
  }

  @Test
  void bucketTailsReachWhereVllmSeesRealValues() {
    LlmRecorder r = iw.llm().serve("local", "llama", "chat", true);
    r.maxTokens(1_000_000);
    r.token();
    r.token();
    r.finish(FinishReason.STOP, 20_000_000, 2);
    try (LlmCall call = iw.llm().call("openai", "gpt-4o", "chat")) {
      call.chunk().chunk();
    }

    assertThat(bounds(MetricNames.GEN_AI_SERVER_DURATION)).endsWith(2621.44, 5242.88, inf());
    assertThat(bounds(MetricNames.GEN_AI_CLIENT_DURATION)).endsWith(5242.88, inf());
    assertThat(bounds(MetricNames.GEN_AI_TTFT)).endsWith(80, 160, 640, 2560, inf());
    assertThat(bounds(MetricNames.GEN_AI_QUEUE_TIME)).endsWith(640, 2560, inf());
    assertThat(bounds(MetricNames.GEN_AI_CLIENT_TTFC)).endsWith(2560, inf());
    assertThat(bounds(MetricNames.GEN_AI_TPOT)).endsWith(2.5, 5, 7.5, 10, 20, 40, 80, inf());
    assertThat(bounds(MetricNames.GEN_AI_ITL)).endsWith(40, 80, inf());
    assertThat(bounds(MetricNames.GEN_AI_CLIENT_TPOC)).endsWith(40, 80, inf());
    assertThat(bounds(MetricNames.GEN_AI_SERVER_TOKENS)).endsWith(16777216, 67108864, inf());
    assertThat(bounds(MetricNames.GEN_AI_CLIENT_TOKENS)).endsWith(16777216, 67108864, inf());
    assertThat(bounds(MetricNames.GEN_AI_MAX_TOKENS)).startsWith(1, 4).endsWith(1048576, inf());
  }

  private static double inf() {
    return Double.POSITIVE_INFINITY;
  }

  private double[] bounds(String family) {
    for (io.prometheus.metrics.model.snapshots.MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals(family)) {
        var point =
            (io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot)
                snapshot.getDataPoints().get(0);
        var buckets = point.getClassicBuckets();
        double[] out = new double[buckets.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = buckets.getUpperBound(i);
        }
        return out;
      }
    }
    throw new AssertionError("no family " + family);
  }

  @Test
  void thePerTokenPathAllocatesNothingBeyondTheHistogramObservationItself() {
    LlmRecorder r = iw.llm().serve("local", "llama", "chat", true);
    io.prometheus.metrics.core.datapoints.DistributionDataPoint raw =
        io.prometheus.metrics.core.metrics.Histogram.builder()
            .name("raw_seconds")
            .classicUpperBounds(Buckets.GEN_AI_TOKEN_SECONDS)
            .register(new PrometheusRegistry());
    int n = 200_000;
    for (int round = 0; round < 3; round++) {
      loop(r::token, n);
      loop(() -> raw.observe(1e-6), n);
    }
    long recorder = loop(r::token, n);
    long histogram = loop(() -> raw.observe(1e-6), n);
    r.finish(FinishReason.STOP, 1, r.tokens());

    // client_java 1.10's observe() itself allocates a capturing Supplier (24 bytes) and boxes
    // native bucket indices outside the Integer cache (16 bytes), unless escape analysis removes
    // them; the recorder adds nothing of its own. A String, array or second boxed value per token
    // would push past 64 bytes, whichever way the JIT treats the library.
    assertThat(recorder / n).isLessThanOrEqualTo(Math.max(64, histogram / n + 16));
    assertThat(samples.value(MetricNames.GEN_AI_ITL, "model", "llama")).isEqualTo(4L * n - 1);
  }

  private static long loop(Runnable call, int n) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < n; i++) {
      call.run();
    }
    return threads.getThreadAllocatedBytes(id) - before;
  }
}
