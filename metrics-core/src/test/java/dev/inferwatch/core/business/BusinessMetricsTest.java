package dev.inferwatch.core.business;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import dev.inferwatch.core.internal.LabelGuard;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BusinessMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final Samples samples = new Samples(registry);

  @Test
  void countersAreDefinedOnFirstUseAndReusedByName() {
    iw.business().counter("orders_total", "Orders placed", "channel").increment("web");
    iw.business().counter("orders_total", "Orders placed", "channel").increment("web");
    iw.business().counter("orders_total", "Orders placed", "channel").incrementBy(3, "api");

    assertThat(samples.value("orders_total", "channel", "web")).isEqualTo(2);
    assertThat(samples.value("orders_total", "channel", "api")).isEqualTo(3);
  }

  @Test
  void timersRecordOnceWhenClosed() {
    DomainTimer timer = iw.business().timer("checkout_seconds", "Checkout", "step");
    try (DomainTimer.Sample sample = timer.start("pay")) {
      sample.close();
    }
    timer.record(Duration.ofMillis(250), "ship");

    assertThat(samples.value("checkout_seconds", "step", "pay")).isEqualTo(1);
    assertThat(samples.value("checkout_seconds", "step", "ship")).isEqualTo(1);
  }

  @Test
  void flagsAreZeroOrOne() {
    DomainFlag redis = iw.business().flag("redis_up", "Redis answers PING");
    redis.set(true);
    assertThat(samples.value("redis_up")).isEqualTo(1);
    redis.set(false);
    assertThat(samples.value("redis_up")).isZero();
  }

  @Test
  void labelValuesPastTheLimitFoldIntoOverflow() {
    DomainCounter counter = iw.business().counter("tables_total", "Tables", "table");
    for (int i = 0; i < BusinessMetrics.DEFAULT_LABEL_LIMIT + 50; i++) {
      counter.increment("table-" + i);
    }
    assertThat(samples.labelValues("tables_total", "table"))
        .hasSize(BusinessMetrics.DEFAULT_LABEL_LIMIT + 1)
        .contains(LabelGuard.OVERFLOW);
    assertThat(samples.value("tables_total")).isEqualTo(BusinessMetrics.DEFAULT_LABEL_LIMIT + 50);
  }
}
