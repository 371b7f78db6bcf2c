package dev.inferwatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.http.HttpMethod;
import dev.inferwatch.core.internal.MetricNames;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InferwatchTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();

  @Test
  void everyFamilyCarriesServiceAndEnvConstLabels() {
    Inferwatch iw =
        Inferwatch.builder()
            .registry(registry)
            .service("router")
            .environment("prod")
            .discoverModules(false)
            .build();
    iw.http().started(HttpMethod.GET);
    iw.http().finished(HttpMethod.GET, iw.routes().normalize("/x"), 200, 1);

    Samples samples = new Samples(registry);
    assertThat(samples.firstLabels(MetricNames.HTTP_REQUESTS).get("service")).isEqualTo("router");
    assertThat(samples.firstLabels(MetricNames.HTTP_REQUESTS).get("env")).isEqualTo("prod");
    assertThat(samples.firstLabels("jvm_threads_current").get("service")).isEqualTo("router");
  }

  @Test
  void namespacePrefixesEveryFamily() {
    Inferwatch iw =
        Inferwatch.builder()
            .registry(registry)
            .namespace("gatewayz")
            .jvmMetrics(false)
            .discoverModules(false)
            .build();
    iw.business().counter("orders_total", "Orders").increment();

    Samples samples = new Samples(registry);
    assertThat(samples.has("gatewayz_http_server_requests_total")).isTrue();
    assertThat(samples.has("gatewayz_orders_total")).isTrue();
    assertThat(iw.metricName("provider_health_score")).isEqualTo("gatewayz_provider_health_score");
  }

  @Test
  void settingsReadPropertiesOverEnvironment() {
    Settings settings =
        Settings.of(
            Map.of(
                "INFERWATCH_SERVICE", "from-env",
                "INFERWATCH_ENV", "staging",
                "INFERWATCH_MAX_ROUTES", "7",
                "INFERWATCH_NAMESPACE", "ns"),
            key -> key.equals("inferwatch.service") ? "from-property" : null);

    Inferwatch iw =
        Inferwatch.builder()
            .registry(registry)
            .jvmMetrics(false)
            .discoverModules(false)
            .settings(settings)
            .build();

    assertThat(iw.service()).isEqualTo("from-property");
    assertThat(iw.environment()).isEqualTo("staging");
    assertThat(iw.namespace()).isEqualTo("ns");
    assertThat(iw.routes().maxRoutes()).isEqualTo(7);
  }

  @Test
  void malformedSettingsNameTheKeyAndValue() {
    Settings settings = Settings.of(Map.of("INFERWATCH_MAX_ROUTES", "lots"), key -> null);
    assertThatThrownBy(() -> Inferwatch.builder().registry(registry).settings(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INFERWATCH_MAX_ROUTES")
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> Inferwatch.builder().namespace("bad-name"))
        .hasMessageContaining("bad-name");
  }

  @Test
  void jvmCollectorsAreRegisteredOncePerRegistry() {
    Inferwatch.builder().registry(registry).namespace("a").discoverModules(false).build();
    Inferwatch.builder().registry(registry).namespace("b").discoverModules(false).build();
    assertThat(new Samples(registry).has("jvm_memory_used_bytes")).isTrue();
  }

  @Test
  void closeRunsRegisteredResourcesOnceInReverseOrder() {
    Inferwatch iw =
        Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
    StringBuilder order = new StringBuilder();
    AtomicInteger closes = new AtomicInteger();
    iw.closeOnShutdown(() -> order.append("first"));
    iw.closeOnShutdown(
        () -> {
          closes.incrementAndGet();
          throw new IllegalStateException("boom");
        });
    iw.close();
    iw.close();
    assertThat(order).hasToString("first");
    assertThat(closes).hasValue(1);
  }

  @Test
  void explicitModulesStartAndAreClosed() {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    InferwatchModule module =
        new InferwatchModule() {
          @Override
          public String name() {
            return "fake";
          }

          @Override
          public void start(Inferwatch iw) {
            started.incrementAndGet();
          }

          @Override
          public Map<String, Object> status() {
            return Map.of("available", true);
          }

          @Override
          public void close() {
            closed.incrementAndGet();
          }
        };
    Inferwatch iw =
        Inferwatch.builder()
            .registry(registry)
            .jvmMetrics(false)
            .discoverModules(false)
            .module(module)
            .build();

    assertThat(iw.module("fake")).containsSame(module);
    assertThat(started).hasValue(1);
    iw.close();
    assertThat(closed).hasValue(1);
  }
}
