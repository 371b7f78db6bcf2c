package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The filter inside real Jetty 12 and Tomcat 11, driven over HTTP, values asserted exactly. */
class MetricsFilterTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(registry)
          .service("test")
          .environment("ci")
          .jvmMetrics(false)
          .discoverModules(false)
          .routes(r -> r.template("/v1/models/{id}"))
          .build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Container.Running start(Container container) throws Exception {
    return container.start(
        new MetricsFilter(iw),
        Container.servlets(
            "/hello", TestServlets.text(200, "hi"),
            "/users/*", TestServlets.text(200, "orders"),
            "/v1/models/*", TestServlets.text(200, "model"),
            "/async", TestServlets.async(),
            "/boom", TestServlets.throwing(),
            "/streamed", TestServlets.streamedThenThrowing(),
            "/routed/*", TestServlets.routed("/routed/{name}"),
            "/timeout", TestServlets.neverCompletes(),
            "/firehose", TestServlets.firehose(),
            "/metrics", new MetricsServlet(iw),
            "/", TestServlets.text(404, "not found")));
  }

  private int get(Container.Running app, String path) throws Exception {
    return send(app.uri(path), "GET");
  }

  private int send(URI uri, String method) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build();
    // Headers only: a response that fails after commit is cut off mid-body by the container.
    HttpResponse<java.io.InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.InputStream body = response.body()) {
      body.readAllBytes();
    } catch (java.io.IOException truncated) {
      // expected for /streamed
    }
    return response.statusCode();
  }

  private Scrape scrape(Container.Running app) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(app.uri("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return Scrape.parse(response.body());
  }

  /** Async completions are recorded just after the client sees the response: wait for them. */
  private Scrape settled(Container.Running app, double expectedRequests) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Scrape s = scrape(app);
    while (System.nanoTime() < deadline
        && (s.value("http_server_requests_total") < expectedRequests
            || s.value("http_server_active_requests") != 0)) {
      Thread.sleep(20);
      s = scrape(app);
    }
    return s;
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void recordsSyncRequestsWithNormalisedRoutesAndExactCounts(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(get(app, "/hello")).isEqualTo(200);
      assertThat(get(app, "/hello")).isEqualTo(200);
      assertThat(get(app, "/users/42/orders")).isEqualTo(200);
      assertThat(get(app, "/users/7/orders")).isEqualTo(200);
      assertThat(get(app, "/v1/models/llama-3")).isEqualTo(200);
      assertThat(get(app, "/routed/anything-at-all")).isEqualTo(200);

      Scrape s = settled(app, 6);
      assertThat(
              s.value(
                  "http_server_requests_total",
                  "method",
                  "GET",
                  "route",
                  "/hello",
                  "status",
                  "200",
                  "service",
                  "test",
                  "env",
                  "ci"))
          .isEqualTo(2);
      assertThat(s.value("http_server_requests_total", "route", "/users/{id}/orders")).isEqualTo(2);
      assertThat(s.value("http_server_requests_total", "route", "/v1/models/{id}")).isEqualTo(1);
      assertThat(s.value("http_server_requests_total", "route", "/routed/{name}")).isEqualTo(1);
      assertThat(s.value("http_server_request_duration_seconds_count", "route", "/hello"))
          .isEqualTo(2);
      assertThat(s.value("http_server_active_requests")).isZero();
      assertThat(s.labelValues("http_server_requests_total", "route")).doesNotContain("/metrics");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void asyncRequestsAreTimedUntilCompletionAndCountedInFlight(Container container)
      throws Exception {
    try (Container.Running app = start(container)) {
      CompletableFuture<HttpResponse<Void>> slow =
          client.sendAsync(
              HttpRequest.newBuilder(app.uri("/async?ms=1500")).build(),
              HttpResponse.BodyHandlers.discarding());
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      Scrape during = scrape(app);
      while (during.value("http_server_active_requests", "method", "GET") < 1
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
        during = scrape(app);
      }
      assertThat(during.value("http_server_active_requests", "method", "GET")).isEqualTo(1);
      assertThat(during.value("http_server_requests_total", "route", "/async")).isZero();

      assertThat(slow.get().statusCode()).isEqualTo(200);
      assertThat(get(app, "/async?ms=50&status=202")).isEqualTo(202);

      Scrape after = settled(app, 2);
      assertThat(after.value("http_server_requests_total", "route", "/async", "status", "200"))
          .isEqualTo(1);
      assertThat(after.value("http_server_requests_total", "route", "/async", "status", "202"))
          .isEqualTo(1);
      assertThat(
              after.value(
                  "http_server_request_duration_seconds_sum", "route", "/async", "status", "200"))
          .isGreaterThanOrEqualTo(1.4);
      assertThat(after.value("http_server_active_requests")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void exceptionsAreRecordedAs500WithTheirType(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(get(app, "/boom")).isEqualTo(500);
      assertThat(get(app, "/streamed")).isEqualTo(200);

      Scrape s = settled(app, 2);
      assertThat(s.value("http_server_requests_total", "route", "/boom", "status", "500"))
          .isEqualTo(1);
      assertThat(
              s.value(
                  "http_server_errors_total",
                  "route",
                  "/boom",
                  "error_type",
                  "IllegalStateException"))
          .isEqualTo(1);
      assertThat(s.value("http_server_requests_total", "route", "/streamed", "status", "200"))
          .isEqualTo(1);
      assertThat(
              s.value(
                  "http_server_errors_total",
                  "route",
                  "/streamed",
                  "error_type",
                  "IllegalArgumentException"))
          .isEqualTo(1);
      assertThat(s.value("http_server_active_requests")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void notFoundPathsFoldIntoUnmatchedButTemplated404sKeepTheirRoute(Container container)
      throws Exception {
    try (Container.Running app = start(container)) {
      for (int i = 0; i < 20; i++) {
        assertThat(get(app, "/wp-admin/probe-" + i + ".php")).isEqualTo(404);
      }
      Scrape s = settled(app, 20);
      assertThat(s.value("http_server_requests_total", "route", "__unmatched__", "status", "404"))
          .isEqualTo(20);
      assertThat(s.labelValues("http_server_requests_total", "route"))
          .containsExactly("__unmatched__");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void unknownMethodsAreRecordedAsOther(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      int status = send(app.uri("/hello"), "BREW");
      Scrape s = settled(app, 1);
      assertThat(s.value("http_server_requests_total", "method", "_OTHER", "route", "/hello"))
          .isEqualTo(1);
      assertThat(s.labelValues("http_server_requests_total", "status"))
          .containsExactly(Integer.toString(status));
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void asyncTimeoutsAreRecordedAsErrorsAndLeaveNothingInFlight(Container container)
      throws Exception {
    try (Container.Running app = start(container)) {
      int status = get(app, "/timeout");
      Scrape s = settled(app, 1);
      assertThat(status).isEqualTo(500);
      assertThat(s.value("http_server_requests_total", "route", "/timeout", "status", "500"))
          .isEqualTo(1);
      assertThat(
              s.value(
                  "http_server_errors_total", "route", "/timeout", "error_type", "AsyncTimeout"))
          .isEqualTo(1);
      assertThat(s.value("http_server_active_requests")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void clientsThatGoAwayMidResponseAreCountedAsDisconnects(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.base().getPort())) {
        socket
            .getOutputStream()
            .write(
                "GET /firehose HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getInputStream().readNBytes(1024);
        socket.setSoLinger(true, 0);
      }
      Scrape s = settled(app, 1);
      assertThat(s.value("http_server_client_disconnects_total", "route", "/firehose"))
          .isEqualTo(1);
      assertThat(s.value("http_server_requests_total", "route", "/firehose")).isEqualTo(1);
      assertThat(s.value("http_server_active_requests")).isZero();
    }
  }
}
