package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.TestServlets;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.LoadTool;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JSON snapshot's percentiles against a load tool's own measurement. Interpolated inside the
 * classic bucket (0.5, 0.75] s, a steady 500 ms delay read as p50 625 ms; the native buckets are
 * about 2 % wide. The delay is long so that the shared test machine's scheduling noise, which the
 * tool sees and the server cannot, stays well inside the 5 %; the warm-up (cold threads, JIT) is
 * recorded into another instance, as the tool leaves it out too.
 */
class QuantileAccuracyTest {

  private final Inferwatch warmUp = inferwatch();
  private final Inferwatch iw = inferwatch();
  private volatile boolean measuring;

  private static Inferwatch inferwatch() {
    return Inferwatch.builder()
        .registry(new PrometheusRegistry())
        .jvmMetrics(false)
        .discoverModules(false)
        .build();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void jsonPercentilesAgreeWithTheLoadToolWithinFivePercent(Container container) throws Exception {
    MetricsFilter warmUpFilter = new MetricsFilter(warmUp);
    MetricsFilter measuredFilter = new MetricsFilter(iw);
    Filter switching =
        (request, response, chain) ->
            (measuring ? measuredFilter : warmUpFilter).doFilter(request, response, chain);
    try (Container.Running app =
        container.start(
            switching,
            Container.servlets(
                "/slow", TestServlets.async(), "/metrics.json", new MetricsServlet(iw)))) {
      LoadTool.run(app.uri("/slow?ms=500"), 16, Duration.ofSeconds(1), Duration.ZERO);
      measuring = true;
      LoadTool.Result tool =
          LoadTool.run(app.uri("/slow?ms=500"), 16, Duration.ZERO, Duration.ofSeconds(4));
      JsonNode duration =
          Json.MAPPER
              .readTree(
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(app.uri("/metrics.json")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .path("http")
              .path("duration_seconds");

      assertThat(tool.requests()).as(tool.toString()).isGreaterThan(100);
      assertThat(tool.errors()).isZero();
      assertThat(duration.path("quantiles_from").asText()).isEqualTo("native");
      double p50 = tool.quantileSeconds(0.5);
      double p90 = tool.quantileSeconds(0.9);
      assertThat(duration.path("p50").asDouble())
          .as(tool.toString())
          .isCloseTo(p50, within(p50 * 0.05));
      assertThat(duration.path("p90").asDouble())
          .as(tool.toString())
          .isCloseTo(p90, within(p90 * 0.05));
    }
  }
}
