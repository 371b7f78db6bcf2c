package dev.inferwatch.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class LabelGuardTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();

  @Test
  void foldsValuesPastTheLimitIntoOverflowAndCountsThem() {
    LabelGuard guard = iw.labelGuard("provider_requests_total", 2);

    assertThat(guard.guard("openai")).isEqualTo("openai");
    assertThat(guard.guard("anthropic")).isEqualTo("anthropic");
    assertThat(guard.guard("mistral")).isEqualTo(LabelGuard.OVERFLOW);
    assertThat(guard.guard("openai")).isEqualTo("openai");
    assertThat(new Samples(registry).value("inferwatch_label_overflow_total")).isEqualTo(1);
  }

  @Test
  void allowedValuesKeepTheirSeriesWhateverArrivesFirst() {
    LabelGuard guard = iw.labelGuard("gen_ai_server_requests_total", 1).allow("gpt-4o");
    assertThat(guard.guard("random-model")).isEqualTo(LabelGuard.OVERFLOW);
    assertThat(guard.guard("gpt-4o")).isEqualTo("gpt-4o");
  }

  @Test
  void missingValuesReadUnknownAndLongValuesAreClipped() {
    LabelGuard guard = iw.labelGuard("x_total", 10);
    assertThat(guard.guard(null)).isEqualTo(LabelGuard.UNKNOWN);
    assertThat(guard.guard("")).isEqualTo(LabelGuard.UNKNOWN);
    assertThat(guard.guard("m".repeat(10_000))).hasSize(LabelGuard.MAX_VALUE_LENGTH);
  }

  @Test
  void controlCharactersNeverReachALabelValue() {
    LabelGuard guard = iw.labelGuard("z_total", 10);
    assertThat(guard.guard("open\nai\r\u0000x\u001b[31m\u007f\u0085\u2028end"))
        .isEqualTo("open_ai__x_[31m___end");
    assertThat(guard.guard("plain-value_1.2")).isEqualTo("plain-value_1.2");
    assertThat(guard.guard("caf\u00e9 \u4e2d")).isEqualTo("caf\u00e9 \u4e2d");
    assertThat(LabelGuard.clean("v1\n")).isEqualTo("v1_");
    assertThat(LabelGuard.clean(null)).isEqualTo(LabelGuard.UNKNOWN);

    iw.models().info("m", "v1\n# HELP injected", "prod\u0000", "torch");
    // client_java names an info family without its _info suffix
    assertThat(new Samples(registry).labelValues("model", "version"))
        .containsExactly("v1_# HELP injected");
  }

  @Test
  void staysBoundedUnderConcurrentDistinctValues() throws InterruptedException {
    LabelGuard guard = iw.labelGuard("y_total", 50);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  guard.guard(id + "-" + i);
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    // The limit is checked before insertion, so racing threads may each add one value.
    assertThat(guard.size()).isBetween(50, 50 + threads.length);
  }
}
