package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.probe.InfoServlet;
import dev.inferwatch.servlet.probe.ProbeServlet;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.servlet.scrape.StatusPageServlet;
import dev.inferwatch.testkit.Container;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The read-only endpoints in real Jetty 12 and Tomcat 11: what they do not serve is a JSON error
 * with the reason, never the container's HTML page; /info describes the service and container.
 */
class UnsupportedMethodsTest {

  private static final String[] READ_ONLY = {
    "/info", "/metrics", "/metrics/providers", "/metrics.json", "/inferwatch", "/livez"
  };

  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(new PrometheusRegistry())
          .service("shop")
          .environment("test")
          .jvmMetrics(false)
          .discoverModules(false)
          .build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void close() {
    iw.close();
  }

  private Container.Running start(Container container) throws Exception {
    MetricsServlet metrics = new MetricsServlet(iw);
    return container.start(
        new MetricsFilter(iw),
        Container.servlets(
            "/info",
            new InfoServlet(iw),
            "/metrics",
            metrics,
            "/metrics/*",
            metrics,
            "/metrics.json",
            metrics,
            "/inferwatch",
            new StatusPageServlet(),
            "/livez",
            new ProbeServlet(iw)));
  }

  private HttpResponse<String> send(Container.Running app, String method, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.uri(path))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode error(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    JsonNode error = Json.MAPPER.readTree(response.body()).get("error");
    assertThat(error.path("message").asText()).isNotBlank();
    return error;
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void otherMethodsGetAJson405WithAllow(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      for (String path : READ_ONLY) {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
          HttpResponse<String> response = send(app, method, path);

          assertThat(response.statusCode()).as(method + " " + path).isEqualTo(405);
          assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
          assertThat(error(response).path("type").asText()).isEqualTo("method_not_allowed");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void optionsListsTheMethodsWithoutABody(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response = send(app, "OPTIONS", "/info");

      assertThat(response.statusCode()).isEqualTo(204);
      assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
      assertThat(response.body()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void anUnknownMetricsViewIsAJson404NamingTheViews(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response = send(app, "GET", "/metrics/nonsense");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(error(response).path("message").asText())
          .contains("nonsense")
          .contains("/metrics/providers");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void infoDescribesTheServiceModelsJvmAndContainer(Container container) throws Exception {
    iw.models().info("sentiment", "v3", "primary", "onnx");
    try (Container.Running app = start(container)) {
      HttpResponse<String> response = send(app, "GET", "/info");
      HttpResponse<String> head = send(app, "HEAD", "/info");

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode info = Json.MAPPER.readTree(response.body());
      assertThat(info.path("service").asText()).isEqualTo("shop");
      assertThat(info.path("env").asText()).isEqualTo("test");
      assertThat(info.path("version").asText()).isNotBlank();
      assertThat(info.path("uptime_seconds").asDouble()).isNotNegative();
      assertThat(info.path("models").toString()).contains("sentiment").contains("v3");
      assertThat(info.at("/features/endpoints").toString()).contains("/livez", "/metrics");
      assertThat(info.at("/jvm/version").asText()).isEqualTo(System.getProperty("java.version"));
      assertThat(info.at("/container/server_info").asText())
          .containsIgnoringCase(container == Container.JETTY ? "jetty" : "tomcat");
      assertThat(info.at("/container/servlet_api").asText()).startsWith("6.");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
    }
  }
}
