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
    assertThat(samples.value(MetricNames.GEN_AI_ITL, "model", "llama")).isEqualTo(4);
    assertThat(samples.value(MetricNames.GEN_AI_TPOT, "model", "llama")).isEqualTo(1);
    assertThat(
            samples.value(MetricNames.GEN_AI_SERVER_DURATION, "model", "llama", "error_type", ""))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TOKENS, "token_type", "input")).isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TOKENS, "token_type", "output"))
        .isEqualTo(1);
    assertThat(
            samples.value(
                MetricNames.GEN_AI_SERVER_REQUESTS, "model", "llama", "finish_reason", "stop"))
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
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_REQUESTS, "finish_reason", "cancelled"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_REQUESTS)).isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_DURATION, "error_type", "cancelled"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_STREAMS_ACTIVE)).isZero();
  }

  @Test
  void failuresCarryTheirErrorType() {
    iw.llm().serve("local", "llama", "chat", false).fail("timeout");

    assertThat(samples.value(MetricNames.GEN_AI_SERVER_DURATION, "error_type", "timeout"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_SERVER_REQUESTS, "finish_reason", "error"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.GEN_AI_CLIENT_TOKENS)).isZero();
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
