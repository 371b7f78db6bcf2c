package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.predict.PredictServlet;
import dev.inferwatch.servlet.probe.ProbeServlet;
import dev.inferwatch.testkit.ChatClient;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.FakePredictor;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Servlet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Model servers' clients send paths with a trailing slash (seed 000 lists both): wired through
 * {@link ServletPaths}, each answers as the path without it, and is recorded under one route.
 */
class TrailingSlashTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final FakeChatModel model =
      FakeChatModel.builder().timeToFirstToken(Duration.ZERO).tokens(2).build();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    model.close();
    iw.close();
  }

  private Container.Running start(Container container) throws Exception {
    Map<String, Servlet> servlets = new LinkedHashMap<>();
    Servlet chat = new ChatCompletionsServlet(iw, model);
    Servlet predict = new PredictServlet(iw, FakePredictor.builder().build());
    Servlet probes = new ProbeServlet(iw);
    ServletPaths.CHAT.forEach(path -> servlets.put(path, chat));
    ServletPaths.PREDICT.forEach(path -> servlets.put(path, predict));
    ServletPaths.PROBES.forEach(path -> servlets.put(path, probes));
    return container.start(new MetricsFilter(iw), servlets);
  }

  private HttpResponse<String> send(Container.Running app, String path, String json)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path));
    if (json != null) {
      request.header("Content-Type", "application/json");
      request.POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void everyKitPathAnswersWithATrailingSlashUnderOneRoute(Container container) throws Exception {
    String chat = ChatClient.body("fake-model", false);
    String predict = "{\"instances\":[\"good\"]}";
    try (Container.Running app = start(container)) {
      for (String path : new String[] {"/v1/chat/completions", "/v1/chat/completions/"}) {
        HttpResponse<String> reply = send(app, path, chat);
        assertThat(reply.statusCode()).as(path).isEqualTo(200);
        assertThat(ChatClient.parse(reply.body()).path("object").asText())
            .isEqualTo("chat.completion");
      }
      for (String path : new String[] {"/predict", "/predict/", "/invocations", "/invocations/"}) {
        HttpResponse<String> reply = send(app, path, predict);
        assertThat(reply.statusCode()).as(path).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
      }
      for (String probe : new String[] {"/ping", "/livez", "/readyz", "/startupz", "/health"}) {
        HttpResponse<String> bare = send(app, probe, null);
        HttpResponse<String> slashed = send(app, probe + "/", null);
        assertThat(slashed.statusCode()).as(probe + "/").isEqualTo(bare.statusCode());
        assertThat(ChatClient.parse(slashed.body()).path("status").asText())
            .as(probe + "/")
            .isEqualTo(ChatClient.parse(bare.body()).path("status").asText())
            .isNotEmpty();
      }
    }

    Scrape s = Scrape.of(registry);
    assertThat(s.labelValues("http_server_requests_total", "route"))
        .containsExactlyInAnyOrder("/v1/chat/completions", "/predict", "/invocations");
    assertThat(s.value("http_server_requests_total", "route", "/v1/chat/completions")).isEqualTo(2);
    assertThat(s.value("http_server_requests_total", "route", "/predict")).isEqualTo(2);
    assertThat(s.value("gen_ai_server_requests_total")).isEqualTo(2);
  }
}
