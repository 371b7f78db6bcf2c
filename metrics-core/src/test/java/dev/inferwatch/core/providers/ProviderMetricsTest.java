package dev.inferwatch.core.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import dev.inferwatch.core.events.Event;
import dev.inferwatch.core.events.EventType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The provider helpers against a real registry: names, labels, derived values, events. */
class ProviderMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(registry)
          .service("router")
          .jvmMetrics(false)
          .discoverModules(false)
          .build();
  private final Samples samples = new Samples(registry);
  private final ProviderMetrics providers = iw.providers();

  @Test
  void recordsEveryFamilyUnderItsCatalogueName() {
    providers.recordProviderResponseTime("openai", Duration.ofMillis(420));
    providers.recordProviderOutcome("openai", ProviderOutcome.OK);
    providers.recordProviderOutcome("openai", ProviderOutcome.SKIPPED_PAID);
    providers.incrementCostByProvider("openai", 0.25);
    providers.incrementCostByProvider("openai", 0.5);
    providers.setModelUptime24h("gpt-4o", 0.99);
    providers.setTokenEfficiency("gpt-4o", 1.5);
    providers.recordAnomaly("latency_spike");
    providers.setTrialActiveCount(3);
    providers.recordFallthrough("cheap");

    assertThat(samples.value("provider_response_time_seconds", "provider", "openai")).isEqualTo(1);
    assertThat(samples.value("provider_requests_total", "provider", "openai", "outcome", "ok"))
        .isEqualTo(1);
    assertThat(samples.value("provider_requests_total", "outcome", "skipped_paid")).isEqualTo(1);
    assertThat(samples.value("provider_cost_usd_total", "provider", "openai")).isEqualTo(0.75);
    assertThat(samples.value("provider_health_score", "provider", "openai")).isEqualTo(1);
    assertThat(samples.value("model_uptime_24h_ratio", "model", "gpt-4o")).isEqualTo(0.99);
    assertThat(samples.value("model_token_efficiency", "model", "gpt-4o")).isEqualTo(1.5);
    assertThat(samples.value("anomalies_detected_total", "type", "latency_spike")).isEqualTo(1);
    assertThat(samples.value("trials_active")).isEqualTo(3);
    assertThat(samples.value("router_fallthrough_total", "profile", "cheap")).isEqualTo(1);
    assertThat(samples.firstLabels("provider_requests_total").get("service")).isEqualTo("router");
  }

  @Test
  void declaredAnomalyTypesAndProfilesStartAtZeroSoTheFirstEventIsARise() {
    providers.initAnomalies("latency_spike", "cost_spike").initFallthroughs("free-tier");

    assertThat(samples.labelValues("anomalies_detected_total", "type"))
        .containsExactlyInAnyOrder("latency_spike", "cost_spike");
    assertThat(samples.value("anomalies_detected_total")).isZero();
    assertThat(samples.labelValues("router_fallthrough_total", "profile"))
        .containsExactly("free-tier");

    providers.recordFallthrough("free-tier");
    assertThat(samples.value("router_fallthrough_total", "profile", "free-tier")).isEqualTo(1);
    assertThat(iw.events().recent(10))
        .extracting(Event::type)
        .containsOnlyOnce(EventType.ROUTER_FALLTHROUGH)
        .doesNotContain(EventType.ANOMALY_DETECTED);
  }

  @Test
  void healthScoreIsAbsentWithoutTrafficAndTheHostValueWins() {
    providers.recordProviderResponseTime("quiet", Duration.ofMillis(10));
    assertThat(samples.labelValues("provider_health_score", "provider")).doesNotContain("quiet");

    providers.recordProviderOutcome("busy", ProviderOutcome.OK);
    providers.recordProviderOutcome("busy", ProviderOutcome.FAILED, "HTTP 500");
    assertThat(samples.value("provider_health_score", "provider", "busy")).isEqualTo(0.5);

    providers.setProviderHealthScore("busy", 0.87);
    assertThat(samples.value("provider_health_score", "provider", "busy")).isEqualTo(0.87);
    providers.setProviderHealthScore("busy", Double.NaN);
    assertThat(providers.healthScore("busy")).isEqualTo(0.5);
  }

  @Test
  void theSeedsHealthScoreIsARatioAndAPercentageIsRefusedNotStored() {
    providers.setProviderHealthScore("openrouter", 0.95);
    assertThat(samples.value("provider_health_score", "provider", "openrouter")).isEqualTo(0.95);

    providers.setProviderHealthScore("openrouter", 95);
    providers.setProviderHealthScore("openrouter", -0.1);
    providers.setProviderHealthScore("groq", 97);

    assertThat(samples.value("provider_health_score", "provider", "openrouter")).isEqualTo(0.95);
    assertThat(samples.labelValues("provider_health_score", "provider"))
        .containsExactly("openrouter");
    assertThat(iw.internalErrors().count("providers.health_score")).isEqualTo(3);
    providers.setProviderHealthScore("openrouter", 0);
    providers.setProviderHealthScore("groq", 1);
    assertThat(samples.value("provider_health_score", "provider", "openrouter")).isZero();
    assertThat(samples.value("provider_health_score", "provider", "groq")).isEqualTo(1);
  }

  @Test
  void skippedUnknownIsAnOutcomeThatDoesNotTouchTheScore() {
    providers.recordProviderOutcome("openai", ProviderOutcome.OK);
    providers.recordProviderOutcome("mystery", ProviderOutcome.SKIPPED_UNKNOWN, "no price");
    providers.recordProviderOutcome("openai", ProviderOutcome.SKIPPED_UNKNOWN);

    assertThat(samples.value("provider_requests_total", "outcome", "skipped_unknown")).isEqualTo(2);
    assertThat(samples.value("provider_health_score", "provider", "openai")).isEqualTo(1);
    assertThat(samples.labelValues("provider_health_score", "provider")).containsExactly("openai");
    assertThat(ProviderOutcome.SKIPPED_UNKNOWN.attempted()).isFalse();
    assertThat(iw.events().recent(10))
        .filteredOn(e -> e.type() == EventType.PROVIDER_SKIPPED)
        .extracting(Event::message)
        .contains("no price");
  }

  @Test
  void theLastErrorKeepsStatusAndRetryableBesideTheMessage() {
    providers.recordProviderError(
        "openrouter", ProviderOutcome.FAILED, ProviderError.http(429, "rate limited upstream"));
    providers.recordProviderError(
        "groq",
        ProviderOutcome.FAILED_MIDSTREAM,
        ProviderError.of(new java.net.SocketTimeoutException("read timed out"), true));
    try (ProviderCall call = providers.startCall("ollama")) {
      call.failed(ProviderError.http(400, "y".repeat(500)));
    }

    Event openrouter = iw.events().lastError("openrouter").orElseThrow();
    assertThat(openrouter.message()).isEqualTo("rate limited upstream");
    assertThat(openrouter.fields())
        .containsEntry("status", "429")
        .containsEntry("retryable", true)
        .containsEntry("outcome", "failed");
    assertThat(iw.events().lastError("groq").orElseThrow().fields())
        .containsEntry("status", "SocketTimeoutException")
        .containsEntry("retryable", true)
        .containsEntry("outcome", "failed_midstream");
    Event ollama = iw.events().lastError("ollama").orElseThrow();
    assertThat(ollama.fields()).containsEntry("status", "400").containsEntry("retryable", false);
    assertThat(ollama.message()).hasSize(Event.MAX_MESSAGE_LENGTH);
    assertThat(ProviderError.http(503, "x").retryable()).isTrue();
    assertThat(new ProviderError("s".repeat(500), false, null).status())
        .hasSize(ProviderError.MAX_STATUS_LENGTH);
    providers.recordProviderOutcome("plain", ProviderOutcome.FAILED, "HTTP 500");
    assertThat(iw.events().lastError("plain").orElseThrow().fields())
        .doesNotContainKeys("status", "retryable");
  }

  @Test
  void circuitStateIsAStateSetAndAChangeIsJournalled() {
    providers.setCircuitBreakerState("openai", CircuitState.CLOSED);
    providers.setCircuitBreakerState("openai", CircuitState.OPEN);
    providers.setCircuitBreakerState("openai", CircuitState.OPEN);

    StateSetSnapshot.StateSetDataPointSnapshot point = circuitPoint();
    List<String> on = new ArrayList<>();
    for (int i = 0; i < point.size(); i++) {
      if (point.isTrue(i)) {
        on.add(point.getName(i));
      }
    }
    assertThat(on).containsExactly("open");
    assertThat(point.size()).isEqualTo(5);
    assertThat(iw.events().recent(10))
        .filteredOn(e -> e.type() == EventType.CIRCUIT_CHANGED)
        .singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("closed -> open"));
  }

  @Test
  void failuresBecomeTheLastErrorAndRecoveryIsJournalled() {
    providers.recordProviderOutcome("openai", ProviderOutcome.OK);
    providers.recordProviderOutcome("openai", ProviderOutcome.FAILED, "x".repeat(500));
    providers.recordProviderOutcome("openai", ProviderOutcome.OK);
    providers.recordProviderOutcome("openai", ProviderOutcome.OK);

    Event last = iw.events().lastError("openai").orElseThrow();
    assertThat(last.message()).hasSize(Event.MAX_MESSAGE_LENGTH);
    assertThat(last.fields()).containsEntry("outcome", "failed");
    assertThat(iw.events().recent(10))
        .extracting(Event::type)
        .containsSubsequence(EventType.PROVIDER_OK, EventType.PROVIDER_FAILED)
        .filteredOn(t -> t == EventType.PROVIDER_OK)
        .hasSize(1);
  }

  @Test
  void repeatedSkipsAreCountedEveryTimeButJournalledOncePerQuietPeriod() {
    for (int i = 0; i < 100; i++) {
      providers.recordProviderOutcome("openai", ProviderOutcome.SKIPPED_PAID, "free profile");
      providers.recordProviderOutcome("openai", ProviderOutcome.FAILED, "HTTP 500");
    }
    assertThat(samples.value("provider_requests_total", "outcome", "skipped_paid")).isEqualTo(100);
    assertThat(samples.value("inferwatch_events_total", "type", "provider_skipped")).isEqualTo(1);
    assertThat(samples.value("inferwatch_events_total", "type", "provider_failed")).isEqualTo(100);
  }

  @Test
  void aCallClosedWithoutAnOutcomeCountsAsFailedAndFeedsModelUptime() {
    try (ProviderCall call = providers.startCall("anthropic").model("claude")) {
      call.ok();
    }
    try (ProviderCall ignored = providers.startCall("anthropic").model("claude")) {
      // the block "threw": no outcome was set
    }
    assertThat(samples.value("provider_requests_total", "provider", "anthropic", "outcome", "ok"))
        .isEqualTo(1);
    assertThat(samples.value("provider_requests_total", "outcome", "failed")).isEqualTo(1);
    assertThat(samples.value("provider_response_time_seconds", "provider", "anthropic"))
        .isEqualTo(2);
    assertThat(samples.value("model_uptime_24h_ratio", "model", "claude")).isEqualTo(0.5);
  }

  @Test
  void providersPastTheLimitFoldIntoOverflow() {
    for (int i = 0; i < ProviderMetrics.DEFAULT_PROVIDER_LIMIT + 5; i++) {
      providers.recordProviderOutcome("p" + i, ProviderOutcome.OK);
    }
    assertThat(samples.value("provider_requests_total", "provider", "__overflow__")).isEqualTo(5);
    assertThat(samples.labelValues("provider_requests_total", "provider"))
        .hasSize(ProviderMetrics.DEFAULT_PROVIDER_LIMIT + 1);
  }

  @Test
  void eightThreadsTimesAMillionCallsGiveExactTotals() throws Exception {
    PrometheusRegistry own = new PrometheusRegistry();
    Inferwatch fresh =
        Inferwatch.builder().registry(own).jvmMetrics(false).discoverModules(false).build();
    ProviderMetrics metrics = fresh.providers();
    int threads = 8;
    int calls = 1_000_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String provider = t % 2 == 0 ? "even" : "odd";
      Thread worker =
          new Thread(
              () -> {
                awaitQuietly(start);
                Duration d = Duration.ofMillis(5);
                for (int i = 0; i < calls; i++) {
                  metrics.recordProviderOutcome(provider, ProviderOutcome.OK);
                  if ((i & 7) == 0) {
                    metrics.recordProviderResponseTime(provider, d);
                    metrics.incrementCostByProvider(provider, 0.25);
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    Samples s = new Samples(own);
    long perProvider = (long) threads / 2 * calls;
    assertThat(s.value("provider_requests_total", "provider", "even", "outcome", "ok"))
        .isEqualTo(perProvider);
    assertThat(s.value("provider_requests_total", "outcome", "ok")).isEqualTo(threads * calls);
    assertThat(s.value("provider_response_time_seconds", "provider", "odd"))
        .isEqualTo(perProvider / 8);
    assertThat(s.value("provider_cost_usd_total", "provider", "odd"))
        .isEqualTo(perProvider / 8 * 0.25);
    // the lock-free window counted every call too (all within one 30 s slot or two)
    assertThat(metrics.okInWindow("even") + metrics.okInWindow("odd"))
        .isEqualTo((long) threads * calls);
    fresh.close();
  }

  private StateSetSnapshot.StateSetDataPointSnapshot circuitPoint() {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot instanceof StateSetSnapshot
          && snapshot.getMetadata().getName().endsWith("provider_circuit_breaker_state")) {
        return ((StateSetSnapshot) snapshot).getDataPoints().get(0);
      }
    }
    throw new AssertionError("no stateset");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
