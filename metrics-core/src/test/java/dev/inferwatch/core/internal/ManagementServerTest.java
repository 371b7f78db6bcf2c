package dev.inferwatch.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagementServerTest {

  @Test
  void servesMetricsOnASeparatePortUntilClosed() throws Exception {
    Settings settings =
        Settings.of(
            Map.of("INFERWATCH_METRICS_PORT", "0", "INFERWATCH_METRICS_HOST", "127.0.0.1"),
            key -> null);
    Inferwatch iw =
        Inferwatch.builder()
            .registry(new PrometheusRegistry())
            .discoverModules(false)
            .settings(settings)
            .build();
    iw.business().counter("orders_total", "Orders").increment();
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + iw.managementPort() + "/metrics");

    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("orders_total 1.0").contains("jvm_threads_current");

    iw.close();
    assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void isOffByDefault() {
    Inferwatch iw =
        Inferwatch.builder()
            .registry(new PrometheusRegistry())
            .jvmMetrics(false)
            .discoverModules(false)
            .build();
    assertThat(iw.managementPort()).isEqualTo(-1);
  }
}
