package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.predict.PredictServlet;
import dev.inferwatch.servlet.probe.ProbeServlet;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.testkit.ChatClient;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.FakePredictor;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bodies that never finish and generations that take long cannot freeze the server (issue 22, items
 * 2 and 3), in Jetty 12 and Tomcat 11: bodies are read without blocking on an async context, within
 * a deadline, and chat and predict run on bounded workers, so the probes and the scrape keep
 * answering; a body the client abandons is a client disconnect, never a 5xx.
 */
class HostileBodiesTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final int HALF_BODIES = 300;
  private static final int SLOW_CHATS = 300;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
    iw.close();
  }

  private Container.Running start(Container container, Duration bodyTimeout, Duration firstToken)
      throws Exception {
    FakeChatModel model = FakeChatModel.builder().timeToFirstToken(firstToken).tokens(4).build();
    closeables.add(model);
    ChatCompletionsServlet chat =
        ChatCompletionsServlet.builder(iw)
            .model(model)
            .bodyTimeout(bodyTimeout)
            .shutdownGrace(Duration.ZERO)
            .build();
    PredictServlet predict =
        PredictServlet.builder(iw)
            .predictor(FakePredictor.builder().build())
            .bodyTimeout(bodyTimeout)
            .build();
    ProbeServlet probes = new ProbeServlet(iw);
    Container.Running app =
        container.start(
            new MetricsFilter(iw),
            Container.servlets(
                CHAT,
                chat,
                "/predict",
                predict,
                "/invocations",
                predict,
                "/livez",
                probes,
                "/readyz",
                probes,
                "/metrics",
                new MetricsServlet(iw)));
    closeables.add(0, app);
    return app;
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void probesAndTheScrapeAnswerWithinASecondWhileHalfBodiesAndSlowChatsAreHeldOpen(
      Container container) throws Exception {
    Container.Running app = start(container, Duration.ofSeconds(120), Duration.ofSeconds(120));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String[] targets = {CHAT, "/predict", "/invocations"};
    for (int i = 0; i < HALF_BODIES; i++) {
      sockets.add(halfBody(app, targets[i % targets.length], 1000, 10));
    }
    List<CompletableFuture<HttpResponse<Void>>> chats = new ArrayList<>();
    for (int i = 0; i < SLOW_CHATS; i++) {
      chats.add(
          http.sendAsync(
              HttpRequest.newBuilder(app.uri(CHAT))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(ChatClient.body("fake-model", false)))
                  .build(),
              HttpResponse.BodyHandlers.discarding()));
    }
    // Held open: every body waits in its reader, every chat on a worker or in the queue.
    await(
        () ->
            Scrape.of(registry).value("http_server_active_requests") == HALF_BODIES + SLOW_CHATS
                && iw.llm().requestsRunning() + iw.llm().requestsWaiting() == SLOW_CHATS);
    assertThat(chats).noneMatch(CompletableFuture::isDone);

    for (String probe : new String[] {"/livez", "/readyz", "/metrics"}) {
      long[] millis = new long[20];
      for (int i = 0; i < millis.length; i++) {
        long start = System.nanoTime();
        HttpResponse<String> reply =
            http.send(
                HttpRequest.newBuilder(app.uri(probe)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        millis[i] = (System.nanoTime() - start) / 1_000_000;
        assertThat(reply.statusCode()).as(probe).isEqualTo(200);
      }
      Arrays.sort(millis);
      long p99 = millis[(int) Math.ceil(0.99 * millis.length) - 1];
      System.out.printf(
          "%s %s while %d half bodies and %d slow chats are held: p50 %d ms, p99 %d ms%n",
          container, probe, HALF_BODIES, SLOW_CHATS, millis[millis.length / 2], p99);
      assertThat(p99).as(probe + " p99 over 20 tries, ms").isLessThan(1_000);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aBodyNotSentWithinTheDeadlineIsA408JsonAndTheConnectionCloses(Container container)
      throws Exception {
    Container.Running app = start(container, Duration.ofMillis(300), Duration.ZERO);
    List<Socket> stalled = new ArrayList<>();
    String[] targets = {CHAT, "/predict", "/invocations"};
    for (int i = 0; i < 60; i++) {
      stalled.add(halfBody(app, targets[i % targets.length], 1000, 10));
    }
    sockets.addAll(stalled);

    for (int i = 0; i < stalled.size(); i++) {
      String response = readAll(stalled.get(i), 5_000);
      assertThat(response).as(targets[i % targets.length]).startsWith("HTTP/1.1 408 ");
      assertThat(response.toLowerCase()).contains("content-type: application/json");
      assertThat(response.toLowerCase()).contains("connection: close");
      assertThat(body(response)).contains("\"error\"").contains("not received within 300 ms");
    }
    await(() -> Scrape.of(registry).value("http_server_active_requests") == 0);
    Scrape s = Scrape.of(registry);
    assertThat(s.value("http_server_requests_total", "status", "408")).isEqualTo(60);
    assertThat(s.value("http_server_errors_total")).isZero();
    assertThat(s.labelValues("http_server_requests_total", "route"))
        .containsExactlyInAnyOrder(CHAT, "/predict", "/invocations");
    HttpResponse<String> livez =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(app.uri("/livez")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(livez.statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aBodyTheClientAbandonsIsAClientDisconnectNeverAServerError(Container container)
      throws Exception {
    Container.Running app = start(container, Duration.ofSeconds(30), Duration.ZERO);
    String[] targets = {CHAT, "/predict", "/invocations"};
    for (String target : targets) {
      Socket socket = halfBody(app, target, 1000, 10);
      await(
          () ->
              Scrape.of(registry).value("http_server_active_requests") == 1
                  || Scrape.of(registry).value("http_server_requests_total", "route", target) > 0);
      socket.setSoLinger(true, 0); // an abrupt abort (RST), as a killed client sends
      socket.close();
      await(() -> Scrape.of(registry).value("http_server_requests_total", "route", target) == 1);
    }

    Scrape s = Scrape.of(registry);
    assertThat(s.value("http_server_client_disconnects_total")).isEqualTo(3);
    assertThat(s.labelValues("http_server_requests_total", "status")).containsExactly("499");
    assertThat(s.value("http_server_errors_total")).isZero();
    assertThat(s.value("http_server_active_requests")).isZero();
    assertThat(s.value("model_predictions_total")).isZero();
    assertThat(s.value("gen_ai_server_requests_total")).isZero();
  }

  /**
   * A request whose headers promise {@code declared} bytes of body but which sends {@code sent}.
   */
  private static Socket halfBody(Container.Running app, String path, int declared, int sent)
      throws IOException {
    Socket socket = new Socket("127.0.0.1", app.base().getPort());
    socket
        .getOutputStream()
        .write(
            ("POST "
                    + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + declared
                    + "\r\n\r\n"
                    + "{\"model\":\"".substring(0, Math.min(sent, 10)))
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** What the server sends until it closes the connection, at most {@code timeoutMillis}. */
  private static String readAll(Socket socket, int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // The server kept the connection open: the caller's assertions say what was wrong.
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String body(String response) {
    int split = response.indexOf("\r\n\r\n");
    return split < 0 ? "" : response.substring(split + 4);
  }

  /** Polls {@code condition} for up to 20 s; the caller asserts the bound it cares about. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition not met within 20 s").isNegative();
      Thread.sleep(20);
    }
  }
}
