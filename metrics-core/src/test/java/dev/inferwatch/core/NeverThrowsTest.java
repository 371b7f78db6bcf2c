package dev.inferwatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.inferwatch.core.business.DomainCounter;
import dev.inferwatch.core.http.HttpMethod;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Injects failures into every recording path: none may reach the caller. */
class NeverThrowsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final Samples samples = new Samples(registry);

  @Test
  void aBusinessNameTheHostAlreadyRegisteredYieldsANoOpAndACount() {
    Counter.builder().name("taken_total").help("host's own").register(registry);

    assertThatCode(
            () -> {
              iw.business().counter("taken_total", "clash", "x").increment("a");
              iw.business().timer("taken", "clash").record(Duration.ofSeconds(1));
            })
        .doesNotThrowAnyException();
    assertThat(iw.internalErrors().count("business.define")).isEqualTo(2);
    assertThat(samples.value("inferwatch_internal_errors_total", "operation", "business.define"))
        .isEqualTo(2);
  }

  @Test
  void invalidNamesAndTypeClashesAreContained() {
    assertThatCode(
            () -> {
              iw.business().counter("", "empty name").increment();
              iw.business().flag("dual", "flag").set(true);
              iw.business().counter("dual", "now a counter").increment();
            })
        .doesNotThrowAnyException();
    assertThat(iw.internalErrors().count("business.define")).isEqualTo(2);
  }

  @Test
  void wrongLabelCountsAndNullsAreContained() {
    DomainCounter counter = iw.business().counter("calls_total", "Calls", "a", "b");
    assertThatCode(
            () -> {
              counter.increment("only-one");
              counter.increment((String[]) null);
              counter.incrementBy(-5, "x", "y");
              iw.business().timer("t_seconds", "T", "step").record(Duration.ZERO, "a", "b");
            })
        .doesNotThrowAnyException();
    assertThat(iw.internalErrors().count("business.counter")).isEqualTo(3);
    assertThat(iw.internalErrors().count("business.timer")).isEqualTo(1);
  }

  @Test
  void httpRecordingWithBrokenArgumentsIsContained() {
    assertThatCode(
            () -> {
              iw.http().started(null);
              iw.http().finished(HttpMethod.GET, null, 200, 1);
              iw.http().failed(null, 500, "X");
              iw.http().disconnected(null, 200);
            })
        .doesNotThrowAnyException();
    assertThat(iw.internalErrors().count("http.started")).isEqualTo(1);
    assertThat(iw.internalErrors().count("http.finished")).isEqualTo(1);
    assertThat(iw.internalErrors().count("http.failed")).isEqualTo(1);
    assertThat(iw.internalErrors().count("http.disconnected")).isEqualTo(1);
  }
}
