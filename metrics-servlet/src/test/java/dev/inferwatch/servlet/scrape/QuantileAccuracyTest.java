package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.TestServlets;
import dev.inferwatch.servlet.WarmUpFilter;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.LoadTool;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JSON snapshot's percentiles against a load tool's own measurement. Interpolated inside the
 * classic bucket (1, 2.5] s, a steady 1 s delay reads as p50 1.75 s (the issue measured 120 ms read
 * as 175 ms); the native buckets are about 2 % wide. The delay is long so that the shared build
 * machine's scheduling noise stays inside the 5 %. The warm-up (cold threads, JIT) is recorded into
 * another instance, as the tool leaves it out too. What the machine adds outside the server (a
 * client thread waiting for a CPU) only the tool sees: where that alone is over the 5 % (a
 * saturated shared build machine), the comparison cannot tell the kit's error from the machine's
 * and is skipped, saying so.
 */
class QuantileAccuracyTest {

  private static final int DELAY_MILLIS = 1000;

  private final WarmUpFilter filter = new WarmUpFilter();
  private final Inferwatch iw = filter.measured();

  @ParameterizedTest
  @EnumSource(Container.class)
  void jsonPercentilesAgreeWithTheLoadToolWithinFivePercent(Container container) throws Exception {
    try (Container.Running app =
        container.start(
            filter,
            Container.servlets(
                "/slow", TestServlets.async(), "/metrics.json", new MetricsServlet(iw)))) {
      Duration warmUpTime = Duration.ofSeconds(3);
      filter.warmUpFor(warmUpTime);
      LoadTool.Result tool =
          LoadTool.run(app.uri("/slow?ms=" + DELAY_MILLIS), 32, warmUpTime, Duration.ofSeconds(4));
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

      assertThat(tool.errors()).isZero();
      assumeTrue(
          tool.quantileSeconds(0.5) <= DELAY_MILLIS / 1000.0 * 1.05,
          () -> "the machine adds more than 5 % to a " + DELAY_MILLIS + " ms request: " + tool);
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
