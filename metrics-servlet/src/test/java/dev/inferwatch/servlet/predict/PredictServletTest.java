package dev.inferwatch.servlet.predict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakePredictor;
import dev.inferwatch.testkit.LiveThreads;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** /predict over real HTTP in Jetty 12 and Tomcat 11: the success path and the error table. */
class PredictServletTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final FakePredictor predictor =
      FakePredictor.builder().model("sentiment").version("v1").build();

  @AfterEach
  void close() {
    predictor.release();
    iw.close();
  }

  private Container.Running start(Container container, Predictor p) throws Exception {
    PredictServlet servlet =
        PredictServlet.builder(iw).predictor(p).timeout(Duration.ofMillis(500)).build();
    return container.start(
        new MetricsFilter(iw), Container.servlets("/predict", servlet, "/invocations", servlet));
  }

  private HttpResponse<String> post(
      Container.Running app, String path, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(app.uri(path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(Container.Running app, String json) throws Exception {
    return post(app, "/predict", "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode error(HttpResponse<String> response) throws Exception {
    JsonNode body = Json.MAPPER.readTree(response.body());
    assertThat(body.at("/error/message").isTextual()).isTrue();
    assertThat(body.at("/error/type").isTextual()).isTrue();
    return body.get("error");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void predictsOnAWorkerAndRecordsIt(Container container) throws Exception {
    try (Container.Running app = start(container, predictor)) {
      HttpResponse<String> response = post(app, "{\"instances\":[\"good\",\"bad\"]}");
      HttpResponse<String> invocations =
          post(
              app,
              "/invocations",
              "application/json; charset=utf-8",
              "{\"instances\":[]}".getBytes());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(response.body()).get("predictions").toString())
          .isEqualTo("[0,1]");
      assertThat(invocations.statusCode()).isEqualTo(200);
      assertThat(predictor.lastThread()).startsWith("inferwatch-predict-");
      Scrape scrape = Scrape.of(registry);
      assertThat(scrape.value("model_predictions_total", "model", "sentiment", "outcome", "ok"))
          .isEqualTo(2);
      assertThat(scrape.value("model_batch_size_count", "model", "sentiment")).isEqualTo(2);
      assertThat(scrape.value("model_predictions_in_progress", "model", "sentiment")).isZero();
      assertThat(scrape.value("executor_pool_size_threads", "pool", "predict")).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void destroyReturnsOnlyOncePredictThreadsAreGoneEvenWithAPredictionRunning(Container container)
      throws Exception {
    Set<Thread> before = LiveThreads.named("inferwatch-predict");
    PredictServlet servlet =
        PredictServlet.builder(iw).predictor(predictor).timeout(Duration.ofSeconds(20)).build();
    try (Container.Running app =
        container.start(new MetricsFilter(iw), Container.servlets("/predict", servlet))) {
      client.sendAsync(
          HttpRequest.newBuilder(app.uri("/predict"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[\"linger\"]}"))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (predictor.lastThread() == null && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(LiveThreads.named("inferwatch-predict")).hasSizeGreaterThan(before.size());

      servlet.destroy();

      assertThat(LiveThreads.named("inferwatch-predict")).isSubsetOf(before);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void oneInstanceUnderTwoMappingsKeepsOnePoolAndLeavesNoThreadBehind(Container container)
      throws Exception {
    Set<Thread> before = LiveThreads.named("inferwatch-predict");
    try (Container.Running app = start(container, predictor)) {
      assertThat(post(app, "{\"instances\":[\"a\"]}").statusCode()).isEqualTo(200);
      assertThat(
              post(app, "/invocations", "application/json", "{\"instances\":[]}".getBytes())
                  .statusCode())
          .isEqualTo(200);
    }

    assertThat(LiveThreads.named("inferwatch-predict")).isSubsetOf(before);
  }

  static Stream<Arguments> badBodies() {
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage);
    return Stream.of(
        Arguments.of("truncated", "application/json", "{\"instances\":[\"a\"".getBytes(), 400),
        Arguments.of("trailing", "application/json", "{\"instances\":[]} {}".getBytes(), 400),
        Arguments.of("empty", "application/json", new byte[0], 400),
        Arguments.of("garbage", "application/json", garbage, 400),
        Arguments.of("array", "application/json", "[1,2]".getBytes(), 400),
        Arguments.of("missing", "application/json", "{\"inputs\":[]}".getBytes(), 400),
        Arguments.of("wrongType", "application/json", "{\"instances\":5}".getBytes(), 400),
        Arguments.of("wrongItem", "application/json", "{\"instances\":[5]}".getBytes(), 400),
        Arguments.of("textPlain", "text/plain", "{\"instances\":[]}".getBytes(), 415),
        Arguments.of("noType", null, "{\"instances\":[]}".getBytes(), 415),
        Arguments.of("20MiB", "application/json", new byte[20 * 1024 * 1024], 413));
  }

  @ParameterizedTest
  @MethodSource("badBodies")
  void answersBadBodiesWithTheirStatusInJetty(String name, String type, byte[] body, int status)
      throws Exception {
    answersBadBodies(Container.JETTY, type, body, status);
  }

  @ParameterizedTest
  @MethodSource("badBodies")
  void answersBadBodiesWithTheirStatusInTomcat(String name, String type, byte[] body, int status)
      throws Exception {
    answersBadBodies(Container.TOMCAT, type, body, status);
  }

  private void answersBadBodies(Container container, String type, byte[] body, int status)
      throws Exception {
    try (Container.Running app = start(container, predictor)) {
      HttpResponse<String> response = post(app, "/predict", type, body);

      assertThat(response.statusCode()).isEqualTo(status);
      error(response);
      Scrape scrape = Scrape.of(registry);
      assertThat(scrape.value("model_predictions_total", "outcome", "rejected")).isEqualTo(1);
      assertThat(httpRequests(status)).isEqualTo(1);
    }
  }

  /**
   * The filter records once the servlet returns, which can be just after the client has read a
   * response with a Content-Length; wait for it (bounded) instead of racing.
   */
  private double httpRequests(int status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    double value = 0;
    while (System.nanoTime() < deadline) {
      value =
          Scrape.of(registry)
              .value("http_server_requests_total", "route", "/predict", "status", "" + status);
      if (value > 0) {
        return value;
      }
      Thread.sleep(10);
    }
    return value;
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void answers413ForAChunkedBodyOverTheLimit(Container container) throws Exception {
    try (Container.Running app = start(container, predictor)) {
      byte[] body = new byte[20 * 1024 * 1024];
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(app.uri("/predict"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new java.io.ByteArrayInputStream(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(error(response).get("type").asText()).isEqualTo("request_too_large");
      assertThat(httpRequests(413)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void answers504WhenThePredictorHangs(Container container) throws Exception {
    try (Container.Running app = start(container, predictor)) {
      long t0 = System.nanoTime();
      HttpResponse<String> response = post(app, "{\"instances\":[\"hang\"]}");
      long millis = (System.nanoTime() - t0) / 1_000_000;

      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(error(response).get("type").asText()).isEqualTo("timeout");
      assertThat(millis).isBetween(450L, 3_000L);
      assertThat(Scrape.of(registry).value("model_predictions_total", "outcome", "timeout"))
          .isEqualTo(1);
      assertThat(httpRequests(504)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void answers500WithoutLeakingTheFailure(Container container) throws Exception {
    try (Container.Running app = start(container, predictor)) {
      HttpResponse<String> response = post(app, "{\"instances\":[\"fail\"]}");

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(error(response).get("type").asText()).isEqualTo("server_error");
      assertThat(response.body()).doesNotContain("secret").doesNotContain("at dev.");
      assertThat(Scrape.of(registry).value("model_predictions_total", "outcome", "error"))
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void answers503WhenTheModelIsNotReady(Container container) throws Exception {
    predictor.ready(false);
    try (Container.Running app = start(container, predictor)) {
      HttpResponse<String> response = post(app, "{\"instances\":[\"a\"]}");

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(error(response).get("type").asText()).isEqualTo("model_not_ready");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void answers405ForOtherMethodsAnd501WithoutPredictor(Container container) throws Exception {
    try (Container.Running app = start(container, null)) {
      HttpResponse<String> get =
          client.send(
              HttpRequest.newBuilder(app.uri("/predict")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> none = post(app, "{\"instances\":[\"a\"]}");

      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.headers().firstValue("Allow")).hasValue("POST");
      error(get);
      assertThat(none.statusCode()).isEqualTo(501);
      assertThat(error(none).get("type").asText()).isEqualTo("not_implemented");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void predictionsPastTheWorkersAndTheQueueAre429AndTheGaugesCountBoth(Container container)
      throws Exception {
    PredictServlet servlet =
        PredictServlet.builder(iw)
            .predictor(predictor)
            .maxConcurrent(1)
            .maxQueued(1)
            .timeout(Duration.ofSeconds(20))
            .build();
    try (Container.Running app =
        container.start(new MetricsFilter(iw), Container.servlets("/predict", servlet))) {
      java.util.concurrent.CompletableFuture<HttpResponse<String>> running =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> postQuietly(app, "{\"instances\":[\"hang\"]}"));
      await("model_predictions_running", 1);
      java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> postQuietly(app, "{\"instances\":[\"ok\"]}"));
      await("model_predictions_waiting", 1);

      HttpResponse<String> refused = post(app, "{\"instances\":[\"ok\"]}");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(error(refused).path("type").asText()).isEqualTo("rate_limit_exceeded");

      predictor.release();
      assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      Scrape s = Scrape.of(registry);
      assertThat(s.value("model_predictions_running")).isZero();
      assertThat(s.value("model_predictions_waiting")).isZero();
      assertThat(s.value("model_predictions_in_progress")).isZero();
      assertThat(s.value("model_predictions_total", "outcome", "ok")).isEqualTo(2);
      assertThat(s.value("model_predictions_total", "outcome", "rejected")).isEqualTo(1);
      // The filter records a request once the container completes it, which may be just after
      // the client has read the response.
      await("http_server_requests_total", 1, "status", "429");
    }
  }

  private HttpResponse<String> postQuietly(Container.Running app, String json) {
    try {
      return post(app, json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits up to 10 s until the scrape shows {@code value} for {@code family} and its labels. */
  private void await(String family, double value, String... labels) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Scrape.of(registry).value(family, labels) != value) {
      assertThat(System.nanoTime() - deadline)
          .as(family + " " + java.util.Arrays.toString(labels) + " never reached " + value)
          .isNegative();
      Thread.sleep(10);
    }
  }
}
