package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.events.Event;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.predict.PredictServlet;
import dev.inferwatch.servlet.predict.Predictor;
import dev.inferwatch.servlet.scrape.MetricsAuth;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Request ids: taken from X-Request-Id or made, echoed, in the MDC on the request's thread and on
 * the kit's worker threads, in every JSON error body, kept with the journal's last error, and never
 * a label.
 */
class RequestIdTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String> seenInMdc = new CopyOnWriteArrayList<>();
  private final ch.qos.logback.classic.Logger hostLog =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("host.app");
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

  @BeforeEach
  void captureHostLog() {
    captured.start();
    hostLog.addAppender(captured);
  }

  @AfterEach
  void stopCapturing() {
    hostLog.detachAppender(captured);
  }

  private final HttpServlet mdcReader =
      new HttpServlet() {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
          seenInMdc.add(String.valueOf(MDC.get("request_id")));
          hostLog.info("said hello to {}", "the client");
          resp.getWriter().write("ok");
        }
      };

  private final Predictor predictor =
      new Predictor() {
        @Override
        public String model() {
          return "scorer";
        }

        @Override
        public JsonNode predict(JsonNode request) {
          seenInMdc.add(String.valueOf(MDC.get("request_id"))); // a worker thread of the kit
          hostLog.info("scored on {}", Thread.currentThread().getName());
          return Json.MAPPER.createObjectNode().put("score", 1);
        }
      };

  private Container.Running start(Container container) throws Exception {
    FakeChatModel failing =
        FakeChatModel.builder()
            .id("failing")
            .failure(FakeChatModel.Failure.BEFORE_FIRST_TOKEN)
            .build();
    return container.start(
        new MetricsFilter(iw),
        Container.servlets(
            "/hello", mdcReader,
            "/predict", new PredictServlet(iw, predictor),
            "/v1/chat/completions", new ChatCompletionsServlet(iw, failing),
            "/metrics", new MetricsServlet(iw, MetricsAuth.bearer("secret"))));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aValidIdIsEchoedPutInTheMdcAndCarriedByA400Body(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> ok =
          send(HttpRequest.newBuilder(app.uri("/hello")).header("X-Request-Id", "abc-123_XYZ"));
      HttpResponse<String> bad =
          send(
              HttpRequest.newBuilder(app.uri("/predict"))
                  .header("X-Request-Id", "req-400")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{not json")));
      HttpResponse<String> predicted =
          send(
              HttpRequest.newBuilder(app.uri("/predict"))
                  .header("X-Request-Id", "req-async")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[1]}")));

      assertThat(ok.headers().firstValue("X-Request-Id")).hasValue("abc-123_XYZ");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.headers().firstValue("X-Request-Id")).hasValue("req-400");
      assertThat(Json.MAPPER.readTree(bad.body()).path("error").path("request_id").asText())
          .isEqualTo("req-400");
      assertThat(predicted.statusCode()).isEqualTo(200);
      assertThat(seenInMdc).containsExactly("abc-123_XYZ", "req-async");
      assertThat(captured.list)
          .extracting(
              e -> e.getMDCPropertyMap().get("request_id"), ILoggingEvent::getFormattedMessage)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("abc-123_XYZ", "said hello to the client"),
              org.assertj.core.groups.Tuple.tuple(
                  "req-async", "scored on " + captured.list.get(1).getThreadName()));
      assertThat(captured.list.get(1).getThreadName()).startsWith("inferwatch-predict");
      assertThat(MDC.get("request_id")).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void anInvalidIdIsReplacedAndAMissingOneIsMade(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      String tooLong = "x".repeat(65);
      List<String> answered = new java.util.ArrayList<>();
      for (String incoming : new String[] {tooLong, "has space", "tab\there", null}) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/hello"));
        if (incoming != null) {
          request.header("X-Request-Id", incoming);
        }
        answered.add(send(request).headers().firstValue("X-Request-Id").orElse(""));
      }
      assertThat(answered).allMatch(id -> id.matches("[0-9a-f]{16}")).doesNotHaveDuplicates();
      assertThat(seenInMdc).containsExactlyElementsOf(answered);
      // Exactly 64 visible characters is still valid.
      String longest = "y".repeat(64);
      assertThat(
              send(HttpRequest.newBuilder(app.uri("/hello")).header("X-Request-Id", longest))
                  .headers()
                  .firstValue("X-Request-Id"))
          .hasValue(longest);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void everyJsonErrorOfTheKitCarriesTheId(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> unauthorized =
          send(HttpRequest.newBuilder(app.uri("/metrics")).header("X-Request-Id", "req-401"));
      HttpResponse<String> chat400 =
          send(
              HttpRequest.newBuilder(app.uri("/v1/chat/completions"))
                  .header("X-Request-Id", "req-chat-400")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("[]")));
      HttpResponse<String> chat500 =
          send(
              HttpRequest.newBuilder(app.uri("/v1/chat/completions"))
                  .header("X-Request-Id", "req-chat-500")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"failing\",\"stream\":true,"
                              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));

      assertThat(unauthorized.statusCode()).isEqualTo(401);
      assertThat(requestIdOf(unauthorized)).isEqualTo("req-401");
      assertThat(chat400.statusCode()).isEqualTo(400);
      assertThat(requestIdOf(chat400)).isEqualTo("req-chat-400");
      // Failed on the model's thread before the first token: still an error object with the id.
      assertThat(chat500.statusCode()).isEqualTo(500);
      assertThat(requestIdOf(chat500)).isEqualTo("req-chat-500");
      Event lastError = iw.events().lastError("failing").orElseThrow();
      assertThat(lastError.fields()).containsEntry("request_id", "req-chat-500");
      assertThat(registry.scrape().toString()).doesNotContain("req-");
    }
  }

  private static String requestIdOf(HttpResponse<String> response) throws IOException {
    return Json.MAPPER.readTree(response.body()).path("error").path("request_id").asText();
  }
}
