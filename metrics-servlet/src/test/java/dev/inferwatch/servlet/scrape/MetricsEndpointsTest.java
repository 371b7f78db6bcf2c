package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.core.llm.LlmRecorder;
import dev.inferwatch.core.models.ModelState;
import dev.inferwatch.core.models.PredictionOutcome;
import dev.inferwatch.core.providers.CircuitState;
import dev.inferwatch.core.providers.ProviderOutcome;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.TestServlets;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The category views, /metrics.json and /metrics/docs over real HTTP in Jetty and Tomcat. */
class MetricsEndpointsTest {

  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(registry)
          .service("router")
          .environment("test")
          .discoverModules(false)
          .build();
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    iw.close();
  }

  private Container.Running start(Container container) throws Exception {
    MetricsServlet metrics = new MetricsServlet(iw);
    Container.Running app =
        container.start(
            new MetricsFilter(iw),
            Container.servlets(
                "/hello", TestServlets.text(200, "hi"),
                "/boom", TestServlets.throwing(),
                "/metrics", metrics,
                "/metrics/*", metrics,
                "/metrics.json", metrics));
    for (String path : new String[] {"/hello", "/hello", "/hello", "/boom"}) {
      get(app, path);
    }
    // Families other features register later, read by name only.
    for (int i = 0; i < 4; i++) {
      iw.models().record("iris", "1", PredictionOutcome.OK, Duration.ofMillis(20));
    }
    iw.models().record("iris", "1", PredictionOutcome.ERROR, Duration.ofMillis(20));
    iw.models().record("iris", "1", PredictionOutcome.TIMEOUT, Duration.ofMillis(20));
    iw.models().record("iris", "1", PredictionOutcome.REJECTED, Duration.ZERO);
    iw.models().record("iris", "1", PredictionOutcome.REJECTED, Duration.ZERO);
    iw.models().state("iris", ModelState.READY);
    LlmRecorder served = iw.llm().serve("local", "fake", "chat", true);
    served.token();
    served.finish(FinishReason.STOP, -1, -1);
    iw.llm().serve("local", "fake", "chat", false).queued();
    Gauge.builder().name("gpu_nvml_up").register(registry).set(0);
    iw.providers().recordProviderResponseTime("openai", Duration.ofMillis(300));
    iw.providers().recordProviderOutcome("openai", ProviderOutcome.OK);
    iw.providers().recordProviderOutcome("openai", ProviderOutcome.OK);
    iw.providers().recordProviderOutcome("openai", ProviderOutcome.FAILED, "HTTP 503 upstream");
    iw.providers().setCircuitBreakerState("openai", CircuitState.OPEN);
    iw.providers().incrementCostByProvider("openai", 0.5);
    iw.providers().recordFallthrough("cheap");
    iw.providers()
        .recordProviderError(
            "groq",
            ProviderOutcome.FAILED_MIDSTREAM,
            dev.inferwatch.core.providers.ProviderError.http(429, "rate limited upstream"));
    iw.providers().setTokenEfficiency("gpt-4o", 1.2);
    iw.providers().recordAnomaly("latency_spike");
    iw.providers().setTrialActiveCount(2);
    iw.business().counter("orders_total", "Orders", "channel").increment("web");
    awaitRecorded(4);
    return app;
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void eachCategoryServesOnlyItsFamilies(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(families(app, "system"))
          .allMatch(f -> f.startsWith("jvm_") || f.startsWith("process_"))
          .isNotEmpty();
      assertThat(families(app, "http"))
          .contains("http_server_requests_total", "http_server_request_duration_seconds")
          .allMatch(f -> f.startsWith("http_"));
      assertThat(families(app, "models"))
          .containsExactlyInAnyOrder(
              "model_predictions_total", "model_prediction_duration_seconds", "model_state");
      assertThat(families(app, "providers"))
          .contains(
              "provider_requests_total",
              "provider_response_time_seconds",
              "provider_health_score",
              "provider_circuit_breaker_state",
              "provider_cost_usd_total",
              "model_token_efficiency",
              "anomalies_detected_total",
              "trials_active",
              "router_fallthrough_total")
          .doesNotContain("model_predictions_total", "http_server_requests_total");
      assertThat(families(app, "llm"))
          .contains("gen_ai_server_time_to_first_token_seconds", "gen_ai_server_requests_total")
          .allMatch(f -> f.startsWith("gen_ai_"));
      assertThat(families(app, "gpu")).containsExactly("gpu_nvml_up");
      assertThat(families(app, "business")).containsExactly("orders_total");
      assertThat(families(app, "performance"))
          .contains(
              "http_server_request_duration_seconds",
              "provider_response_time_seconds",
              "gen_ai_server_time_to_first_token_seconds")
          .allMatch(f -> f.endsWith("_seconds"));
      assertThat(families(app, "all"))
          .contains("inferwatch_events_total", "orders_total", "jvm_memory_used_bytes");
      assertThat(get(app, "/metrics/nonsense").statusCode()).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void categoryViewsNegotiateOpenMetrics(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(app.uri("/metrics/providers"))
                  .header("Accept", "application/openmetrics-text; version=1.0.0")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/openmetrics-text");
      assertThat(response.body()).endsWith("# EOF\n").contains("provider_requests_total{");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void metricsJsonMatchesTheHelpersCalls(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response = get(app, "/metrics.json");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/json");
      JsonNode json = new ObjectMapper().readTree(response.body());
      assertThat(json.get("service").asText()).isEqualTo("router");
      assertThat(json.get("env").asText()).isEqualTo("test");
      assertThat(json.get("uptime_seconds").asDouble()).isPositive();
      JsonNode http = json.get("http");
      assertThat(http.get("requests_total").asDouble()).isEqualTo(4);
      assertThat(http.get("by_status_class").get("2xx").asDouble()).isEqualTo(3);
      assertThat(http.get("by_status_class").get("4xx").asDouble()).isZero();
      assertThat(http.get("by_status_class").get("5xx").asDouble()).isEqualTo(1);
      assertThat(http.get("duration_seconds").get("count").asLong()).isEqualTo(4);
      assertThat(http.get("duration_seconds").get("p95").isNumber()).isTrue();
      assertThat(http.get("routes").get(0).get("route").asText()).isEqualTo("/hello");
      assertThat(http.get("routes").get(0).get("requests_total").asDouble()).isEqualTo(3);

      // Providers come sorted by name: groq (its last error only), then openai.
      JsonNode openai = json.get("providers").get(1);
      assertThat(openai.get("provider").asText()).isEqualTo("openai");
      assertThat(openai.get("outcomes").get("ok").asDouble()).isEqualTo(2);
      assertThat(openai.get("outcomes").get("failed").asDouble()).isEqualTo(1);
      assertThat(openai.get("requests_total").asDouble()).isEqualTo(3);
      assertThat(openai.get("health_score").asDouble()).isCloseTo(0.6667, within());
      assertThat(openai.get("circuit_state").asText()).isEqualTo("open");
      assertThat(openai.get("cost_usd").asDouble()).isEqualTo(0.5);
      assertThat(openai.get("response_time_seconds").get("count").asLong()).isEqualTo(1);
      assertThat(openai.get("response_time_seconds").get("p95").asDouble()).isBetween(0.16, 0.32);
      assertThat(openai.get("last_error").get("message").asText()).isEqualTo("HTTP 503 upstream");
      assertThat(openai.get("last_error").get("outcome").asText()).isEqualTo("failed");
      assertThat(openai.get("last_error").get("status").isNull()).isTrue();
      JsonNode groq = json.get("providers").get(0);
      assertThat(groq.get("provider").asText()).isEqualTo("groq");
      assertThat(groq.at("/last_error/message").asText()).isEqualTo("rate limited upstream");
      assertThat(groq.at("/last_error/status").asText()).isEqualTo("429");
      assertThat(groq.at("/last_error/retryable").asBoolean()).isTrue();
      assertThat(groq.at("/last_error/outcome").asText()).isEqualTo("failed_midstream");

      assertThat(json.get("llm").get("ttft_seconds").get("count").asLong()).isEqualTo(1);
      assertThat(json.get("llm").get("streams_active").asDouble()).isZero();
      assertThat(json.get("llm").get("tokens").get("input").asDouble()).isZero();
      assertThat(json.get("llm").get("tokens").get("output").asDouble()).isEqualTo(1);
      assertThat(json.get("llm").get("requests_waiting").asDouble()).isEqualTo(1);
      assertThat(json.get("llm").get("requests_running").asDouble()).isZero();
      JsonNode iris = json.get("models").get(0);
      assertThat(iris.get("model").asText()).isEqualTo("iris");
      assertThat(iris.get("state").asText()).isEqualTo("ready");
      assertThat(iris.get("predictions_total").asDouble()).isEqualTo(8);
      assertThat(iris.get("errors_total").asDouble()).isEqualTo(2);
      assertThat(iris.get("rejected_total").asDouble()).isEqualTo(2);
      // a model turning ready marks the service started; the exported check follows at once
      assertThat(json.get("health").get("checks").get("started").asText()).isEqualTo("UP");
      assertThat(json.get("gpu").get("available").asBoolean()).isFalse();
      assertThat(json.get("events").get(0).get("type").asText()).isEqualTo("anomaly_detected");
      assertThat(json.get("events").findValuesAsText("type"))
          .contains("router_fallthrough", "circuit_changed", "provider_failed", "startup");
      assertThat(json.get("internal_errors_total").asDouble()).isZero();

      JsonNode alias = new ObjectMapper().readTree(get(app, "/metrics/summary").body());
      assertThat(alias.get("providers")).isEqualTo(json.get("providers"));
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void docsListTheLiveFamiliesWithCurlExamples(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response = get(app, "/metrics/docs");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/markdown");
      assertThat(response.body())
          .contains("# Metrics catalogue — router")
          .contains("## providers")
          .contains("| `provider_requests_total` | counter | outcome, provider | ")
          .contains("curl -s " + app.base().toString().replaceAll("/$", "") + "/metrics/gpu");
    }
  }

  /** The filter records after the response is sent, so wait for the last request to land. */
  private void awaitRecorded(int requests) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Scrape.of(registry).value("http_server_requests_total") < requests
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private Set<String> families(Container.Running app, String category) throws Exception {
    HttpResponse<String> response = get(app, "/metrics/" + category);
    assertThat(response.statusCode()).as(category).isEqualTo(200);
    Set<String> names = new TreeSet<>();
    Matcher m = TYPE.matcher(response.body());
    while (m.find()) {
      names.add(m.group(1));
    }
    Scrape.parse(response.body());
    return names;
  }

  private HttpResponse<String> get(Container.Running app, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }
}
