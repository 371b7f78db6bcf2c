package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.providers.CircuitState;
import dev.inferwatch.core.providers.ProviderOutcome;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.Promtool;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Label values with quotes, backslashes and unicode survive every exposition; control characters (a
 * newline that could forge a sample line) are replaced before they reach it.
 */
class HostileLabelsTest {

  private static final List<String> HOSTILE =
      List.of(
          "quote\"d",
          "back\\slash",
          "new\nline",
          "ünïcødé-模型-🚀",
          "all \"of\\ them\n at once",
          "} 1\nfake_metric 2");

  /** What the exposition shows for each of {@link #HOSTILE}, in order. */
  private static final List<String> EXPOSED =
      List.of(
          "quote\"d",
          "back\\slash",
          "new_line",
          "ünïcødé-模型-🚀",
          "all \"of\\ them_ at once",
          "} 1_fake_metric 2");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).discoverModules(false).build();
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    iw.close();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void hostileValuesAreSafeInEveryExpositionAndPassPromtool(Container container, @TempDir Path dir)
      throws Exception {
    for (String value : HOSTILE) {
      iw.providers().recordProviderOutcome(value, ProviderOutcome.FAILED, value);
      iw.providers().recordProviderResponseTime(value, Duration.ofMillis(50));
      iw.providers().setCircuitBreakerState(value, CircuitState.HALF_OPEN);
      iw.providers().recordAnomaly(value);
      iw.business().counter("tables_total", "Tables", "table").increment(value);
    }
    MetricsServlet metrics = new MetricsServlet(iw);
    try (Container.Running app =
        container.start(
            null,
            Container.servlets(
                "/metrics", metrics, "/metrics/*", metrics, "/metrics.json", metrics))) {
      for (String path : new String[] {"/metrics", "/metrics/providers", "/metrics/business"}) {
        String body = get(app, path);
        Scrape scrape = Scrape.parse(body);
        assertThat(scrape.has("fake_metric")).isFalse();
        if (!path.endsWith("business")) {
          assertThat(scrape.labelValues("provider_requests_total", "provider"))
              .containsAll(EXPOSED);
        } else {
          assertThat(scrape.labelValues("tables_total", "table")).containsAll(EXPOSED);
        }
        assertThat(body).doesNotContain("new\nline", "them\n at", "1\nfake");
        Promtool.assertAccepts(dir, body);
      }
      JsonNode json = new ObjectMapper().readTree(get(app, "/metrics.json"));
      assertThat(json.get("providers").findValuesAsText("provider")).containsAll(EXPOSED);
      assertThat(json.get("events").findValuesAsText("subject")).containsAll(EXPOSED);
    }
  }

  private String get(Container.Running app, String path) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
