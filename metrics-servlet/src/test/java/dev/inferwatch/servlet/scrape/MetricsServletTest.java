package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.TestServlets;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.Promtool;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** /metrics over real HTTP: formats by Accept, gzip, and promtool's verdict on the exposition. */
class MetricsServletTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(registry)
          .service("svc")
          .environment("test")
          .discoverModules(false)
          .build();
  private final HttpClient client = HttpClient.newHttpClient();

  private Container.Running start(Container container) throws Exception {
    Container.Running app =
        container.start(
            new MetricsFilter(iw),
            Container.servlets(
                "/hello", TestServlets.text(200, "hi"),
                "/boom", TestServlets.throwing(),
                "/metrics", new MetricsServlet(iw)));
    for (String path : new String[] {"/hello", "/hello", "/boom", "/missing/42"}) {
      client.send(
          HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.discarding());
    }
    iw.business().counter("orders_total", "Orders", "channel").increment("web");
    iw.business().flag("redis_up", "Redis reachable").set(true);
    return app;
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void servesPrometheusTextByDefault(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(app.uri("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .matches("text/plain;\\s*version=0\\.0\\.4.*");
      assertThat(response.body())
          .contains("# TYPE http_server_requests_total counter")
          .contains("jvm_memory_used_bytes")
          .contains("orders_total{channel=\"web\",env=\"test\",service=\"svc\"} 1.0");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void servesOpenMetricsWhenAsked(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(app.uri("/metrics"))
                  .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/openmetrics-text");
      assertThat(response.body()).endsWith("# EOF\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void gzipsWhenTheClientAccepts(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(app.uri("/metrics")).header("Accept-Encoding", "gzip").build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
      String text =
          new String(
              new GZIPInputStream(new java.io.ByteArrayInputStream(response.body())).readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(text).contains("http_server_requests_total");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void expositionPassesPromtoolCheckMetrics(Container container, @TempDir Path dir)
      throws Exception {
    try (Container.Running app = start(container)) {
      String body =
          client
              .send(
                  HttpRequest.newBuilder(app.uri("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Promtool.assertAccepts(dir, body);
    }
  }
}
