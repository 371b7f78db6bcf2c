package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.testkit.ChatClient;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With an OpenTelemetry span current while a request is served (here started by a host filter, as
 * the OTel agent's servlet instrumentation does), the HTTP and gen_ai duration histograms carry its
 * trace id as an exemplar in the OpenMetrics scrape, also when the request completes on another
 * thread (async, SSE).
 */
class ExemplarTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final SdkTracerProvider tracing = SdkTracerProvider.builder().build();
  private final Tracer tracer = tracing.get("exemplar-test");
  private final Map<String, String> traceIdByPath = new ConcurrentHashMap<>();
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    tracing.close();
  }

  /** A server span around the kit's filter, its trace id remembered per path. */
  private Filter traced(Filter filter) {
    return (request, response, chain) -> {
      String path = ((HttpServletRequest) request).getRequestURI();
      Span span = tracer.spanBuilder("GET " + path).startSpan();
      traceIdByPath.put(path, span.getSpanContext().getTraceId());
      try (Scope scope = span.makeCurrent()) {
        filter.doFilter(request, response, chain);
      } finally {
        span.end();
      }
    };
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void durationsCarryTheTraceIdOfTheRequestsSpanSyncAsyncAndStreamed(Container container)
      throws Exception {
    FakeChatModel model =
        FakeChatModel.builder()
            .id("fake-model")
            .timeToFirstToken(Duration.ofMillis(20))
            .tokenDelay(Duration.ofMillis(5))
            .tokens(4)
            .build();
    try (Container.Running app =
        container.start(
            traced(new MetricsFilter(iw)),
            Container.servlets(
                "/sync",
                TestServlets.text(200, "hi"),
                "/async",
                TestServlets.async(),
                "/v1/chat/completions",
                new ChatCompletionsServlet(iw, model),
                "/metrics",
                new MetricsServlet(iw)))) {
      get(app, "/sync");
      get(app, "/async?ms=30");
      ChatClient.Reply streamed =
          new ChatClient()
              .post(app.uri("/v1/chat/completions"), ChatClient.body("fake-model", true));
      assertThat(streamed.events()).last().isEqualTo("[DONE]");

      String scrape =
          client
              .send(
                  HttpRequest.newBuilder(app.uri("/metrics"))
                      .header(
                          "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();

      assertThat(exemplarTraceId(scrape, "http_server_request_duration_seconds_bucket", "/sync"))
          .isEqualTo(traceIdByPath.get("/sync"));
      assertThat(exemplarTraceId(scrape, "http_server_request_duration_seconds_bucket", "/async"))
          .isEqualTo(traceIdByPath.get("/async"));
      assertThat(
              exemplarTraceId(
                  scrape, "http_server_request_duration_seconds_bucket", "/v1/chat/completions"))
          .isEqualTo(traceIdByPath.get("/v1/chat/completions"));
      assertThat(
              exemplarTraceId(
                  scrape, "gen_ai_server_request_duration_seconds_bucket", "fake-model"))
          .isEqualTo(traceIdByPath.get("/v1/chat/completions"));
      assertThat(
              exemplarTraceId(
                  scrape, "gen_ai_server_time_to_first_token_seconds_bucket", "fake-model"))
          .isEqualTo(traceIdByPath.get("/v1/chat/completions"));
    } finally {
      model.close();
    }
  }

  private void get(Container.Running app, String path) throws Exception {
    client.send(
        HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.discarding());
  }

  /**
   * The trace id of the exemplar on a bucket line of {@code family} that mentions {@code label}.
   */
  private static String exemplarTraceId(String scrape, String family, String labelValue) {
    Pattern line =
        Pattern.compile(
            "^" + family + "\\{[^}]*\"" + Pattern.quote(labelValue) + "\"[^}]*} \\S+ # \\{([^}]*)}",
            Pattern.MULTILINE);
    Matcher m = line.matcher(scrape);
    while (m.find()) {
      Matcher trace = Pattern.compile("trace_id=\"([0-9a-f]{32})\"").matcher(m.group(1));
      if (trace.find()) {
        return trace.group(1);
      }
    }
    return null;
  }
}
