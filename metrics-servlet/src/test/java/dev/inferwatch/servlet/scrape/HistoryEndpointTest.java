package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.TestServlets;
import dev.inferwatch.testkit.Container;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /metrics.json} carries the history as [time, value] arrays; {@code ?since=} trims it. */
class HistoryEndpointTest {

  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(new PrometheusRegistry())
          .jvmMetrics(false)
          .discoverModules(false)
          .build();
  private final HttpClient client = HttpClient.newHttpClient();

  private JsonNode json(Container.Running app, String pathAndQuery) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(app.uri(pathAndQuery)).build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(response.body());
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void historyIsServedAndSinceReturnsOnlyNewerPoints(Container container) throws Exception {
    try (Container.Running app =
        container.start(
            new MetricsFilter(iw),
            Container.servlets(
                "/hello", TestServlets.text(200, "hi"), "/metrics.json", new MetricsServlet(iw)))) {
      client.send(
          HttpRequest.newBuilder(app.uri("/hello")).build(),
          HttpResponse.BodyHandlers.discarding());
      iw.history().sample();

      JsonNode history = json(app, "/metrics.json").path("history");
      assertThat(history.path("interval_seconds").asInt()).isEqualTo(10);
      assertThat(history.path("capacity").asInt()).isEqualTo(180);
      JsonNode inFlight = history.path("series").path("http_in_flight");
      assertThat(inFlight.size()).isGreaterThanOrEqualTo(1);
      JsonNode newestPoint = inFlight.get(inFlight.size() - 1);
      assertThat(newestPoint.size()).isEqualTo(2);
      long newest = history.path("newest").asLong();
      assertThat(newestPoint.get(0).asLong()).isEqualTo(newest);
      assertThat(history.path("series").path("jvm_heap_used_bytes").get(0).get(1).asDouble())
          .isPositive();

      JsonNode none = json(app, "/metrics.json?since=" + newest).path("history");
      none.path("series").forEach(points -> assertThat(points.size()).isZero());
      JsonNode older = json(app, "/metrics.json?since=" + (newest - 1)).path("history");
      assertThat(older.path("series").path("http_in_flight").size()).isGreaterThanOrEqualTo(1);
      older
          .path("series")
          .forEach(
              points ->
                  points.forEach(p -> assertThat(p.get(0).asLong()).isGreaterThan(newest - 1)));
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aMalformedSinceIsAJson400(Container container) throws Exception {
    try (Container.Running app =
        container.start(
            new MetricsFilter(iw), Container.servlets("/metrics.json", new MetricsServlet(iw)))) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(app.uri("/metrics.json?since=yesterday")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(400);
      JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
      assertThat(error.path("message").asText()).contains("Unix seconds");
      assertThat(error.path("request_id").asText()).isNotEmpty();
    }
  }
}
