package dev.inferwatch.core.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Injects faults under the provider helpers and the journal (a clock that throws, a registry whose
 * families the host already owns, hostile arguments): none may reach the caller.
 */
class ProviderFaultsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Naming names = Naming.of(null, null, null);
  private final InternalErrors errors = new InternalErrors(names, registry);
  private final Cardinality cardinality = new Cardinality(names, registry);
  private final EventJournal events = new EventJournal(names, registry, errors, 16, null);
  private final AtomicBoolean clockBroken = new AtomicBoolean();
  private final ProviderMetrics providers =
      new ProviderMetrics(
          names,
          registry,
          cardinality,
          errors,
          events,
          () -> {
            if (clockBroken.get()) {
              throw new IllegalStateException("injected clock failure");
            }
            return System.nanoTime();
          });

  @Test
  void aFailingClockIsContainedOnEveryRecordingPath() {
    clockBroken.set(true);
    assertThatCode(
            () -> {
              providers.recordProviderOutcome("openai", ProviderOutcome.OK);
              providers.recordProviderResponseTime("openai", Duration.ofMillis(5));
              providers.recordModelOutcome("gpt", ProviderOutcome.OK);
              providers.startCall("openai").close();
            })
        .doesNotThrowAnyException();
    assertThat(errors.count("providers.outcome")).isEqualTo(1);
    assertThat(errors.count("providers.response_time")).isEqualTo(1);
    assertThat(errors.count("providers.model_outcome")).isEqualTo(1);
    assertThat(errors.count("providers.start")).isEqualTo(1);
    assertThat(errors.count("providers.call")).isEqualTo(1);
  }

  @Test
  void hostileArgumentsAreContainedAndCounted() {
    assertThatCode(
            () -> {
              providers.recordProviderOutcome(null, null);
              providers.recordProviderResponseTime("openai", null);
              providers.incrementCostByProvider("openai", -1);
              providers.setProviderHealthScore("openai", 1.01);
              providers.setModelUptime24h("m", -0.5);
              providers.setCircuitBreakerState("openai", null);
              providers.recordAnomaly(null);
              providers.recordFallthrough(null);
              events.emit(null, "x", "y");
            })
        .doesNotThrowAnyException();
    assertThat(errors.count("providers.outcome")).isEqualTo(1);
    assertThat(errors.count("providers.response_time")).isEqualTo(1);
    assertThat(errors.count("providers.cost")).isEqualTo(1);
    assertThat(errors.count("providers.health_score")).isEqualTo(1);
    assertThat(errors.count("providers.uptime")).isEqualTo(1);
    assertThat(errors.count("events.emit")).isEqualTo(1);
    assertThat(new Samples(registry).value("anomalies_detected_total", "type", "unknown"))
        .isEqualTo(1);
  }

  @Test
  void aRegistryThatAlreadyHoldsTheNamesFailsTheBuildNotTheRequests() {
    PrometheusRegistry taken = new PrometheusRegistry();
    io.prometheus.metrics.core.metrics.Counter.builder()
        .name("provider_requests_total")
        .labelNames("x")
        .register(taken);
    assertThatCode(
            () ->
                Inferwatch.builder()
                    .registry(taken)
                    .jvmMetrics(false)
                    .discoverModules(false)
                    .build())
        // client_java 1.3 (Boot 3.5's) throws IllegalStateException, later ones
        // IllegalArgumentException.
        .isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class);
  }
}
