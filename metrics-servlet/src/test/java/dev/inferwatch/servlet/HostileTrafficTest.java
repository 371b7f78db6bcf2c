package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.core.health.HealthResult;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.predict.PredictServlet;
import dev.inferwatch.servlet.probe.InfoServlet;
import dev.inferwatch.servlet.probe.ProbeServlet;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakePredictor;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Servlet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 22, as an attacker tried it: each test replays the attack that blinded, froze or spoofed
 * the kit, against real Jetty 12 and Tomcat 11, and pins what must happen instead. (Slow bodies,
 * client-caused 5xx, chat input and requests the container rejects are pinned beside the code that
 * handles them.)
 */
class HostileTrafficTest {

  private static final String TOKEN = "scrape-token-0123456789";
  private static final String ADMIN = "admin-token-9876543210";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Inferwatch iw;

  @AfterEach
  void close() {
    if (iw != null) {
      iw.close();
    }
  }

  private Inferwatch inferwatch(Map<String, String> environment) {
    iw =
        Inferwatch.builder()
            .registry(registry)
            .jvmMetrics(false)
            .discoverModules(false)
            .settings(Settings.of(environment, key -> null))
            .build();
    return iw;
  }

  private HttpResponse<String> send(
      URI uri, String method, String contentType, String body, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(URI uri, String authorization) throws Exception {
    return send(uri, "GET", null, null, authorization);
  }

  private Map<String, Servlet> kitServlets(Object... more) {
    Map<String, Servlet> servlets = new LinkedHashMap<>();
    MetricsServlet metrics = new MetricsServlet(iw);
    ServletPaths.METRICS.forEach(path -> servlets.put(path, metrics));
    ProbeServlet probes = new ProbeServlet(iw);
    ServletPaths.PROBES.forEach(path -> servlets.put(path, probes));
    servlets.put(ServletPaths.INFO, new InfoServlet(iw));
    servlets.putAll(Container.servlets(more));
    return servlets;
  }

  // --- 1. The separate metrics port
  // ---------------------------------------------------------------

  /** Attack: the main port's /metrics said 401, so the scraper asked the management port. */
  @ParameterizedTest
  @EnumSource(Container.class)
  void managementPortAsksForTheSameCredentialsAsMetrics(Container container) throws Exception {
    inferwatch(Map.of("INFERWATCH_METRICS_TOKEN", TOKEN, "INFERWATCH_METRICS_PORT", "0"));
    try (Container.Running app = container.start(new MetricsFilter(iw), kitServlets())) {
      URI management = URI.create("http://127.0.0.1:" + iw.managementPort() + "/metrics");
      assertThat(get(app.uri("/metrics"), null).statusCode()).isEqualTo(401);

      HttpResponse<String> refused = get(management, null);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().allValues("WWW-Authenticate"))
          .contains("Bearer realm=\"inferwatch\"");
      assertThat(refused.body()).doesNotContain("http_server");
      assertThat(get(management, "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(get(URI.create(management.resolve("/") + "-/healthy"), null).statusCode())
          .isEqualTo(401);

      HttpResponse<String> served = get(management, "Bearer " + TOKEN);
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.body()).contains("http_server_requests_total");
    }
  }

  /** Attack: without a token the management port served everything to anyone, on 0.0.0.0. */
  @Test
  void managementPortWithoutCredentialsCannotBeReachedFromTheNetwork() throws Exception {
    InetAddress external = nonLoopbackAddress();
    Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
    inferwatch(Map.of("INFERWATCH_METRICS_PORT", "0"));
    int port = iw.managementPort();

    assertThat(get(URI.create("http://127.0.0.1:" + port + "/metrics"), null).statusCode())
        .isEqualTo(200);
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(external, port), 2_000);
              }
            })
        .as("an unprotected management port listens on loopback only")
        .isInstanceOf(ConnectException.class);
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return address;
        }
      }
    }
    return null;
  }

  // --- 4. The route table
  // -------------------------------------------------------------------------

  /**
   * Attack: 200 GETs to distinct words under a wildcard mapping used up the route cap, and from
   * then on every new route, the kit's own /predict included, was __overflow__ until restart.
   */
  @ParameterizedTest
  @EnumSource(Container.class)
  void wordsUnderAWildcardCannotPushKnownRoutesIntoOverflow(Container container) throws Exception {
    inferwatch(Map.of());
    PredictServlet predict =
        PredictServlet.builder(iw).predictor(FakePredictor.builder().build()).build();
    try (Container.Running app =
        container.start(
            new MetricsFilter(iw),
            kitServlets(
                "/users/*", TestServlets.text(200, "any user"),
                "/hello", TestServlets.text(200, "hello"),
                "/predict", predict))) {
      Random random = new Random(22);
      for (int i = 0; i < 300; i++) {
        assertThat(get(app.uri("/users/" + word(random)), null).statusCode()).isEqualTo(200);
      }
      assertThat(get(app.uri("/hello"), null).statusCode()).isEqualTo(200);
      HttpResponse<String> prediction =
          send(app.uri("/predict"), "POST", "application/json", "{\"instances\":[\"ok\"]}", null);
      assertThat(prediction.statusCode()).isEqualTo(200);

      Scrape scrape = recorded(302);
      Set<String> routes = scrape.labelValues("http_server_requests_total", "route");
      assertThat(routes).containsExactlyInAnyOrder("/users/{param}", "/hello", "/predict");
    }
  }

  /** Attack: error answers on random paths each added a route (only 404 was unmatched). */
  @ParameterizedTest
  @EnumSource(Container.class)
  void errorsOnUnknownPathsAddNoRoutes(Container container) throws Exception {
    inferwatch(Map.of());
    try (Container.Running app =
        container.start(
            new MetricsFilter(iw),
            kitServlets(
                "/files/*",
                TestServlets.text(403, "no"),
                "/gone/*",
                TestServlets.text(410, "gone")))) {
      Random random = new Random(4);
      for (int i = 0; i < 150; i++) {
        get(app.uri("/files/" + word(random)), null);
        get(app.uri("/gone/" + word(random)), null);
      }
      Scrape scrape = recorded(300);
      assertThat(scrape.labelValues("http_server_requests_total", "route"))
          .containsExactly("__unmatched__");
      assertThat(scrape.value("http_server_requests_total", "status", "403")).isEqualTo(150);
      assertThat(iw.http().admittedRoutes()).isZero();
    }
  }

  /** The scrape once {@code requests} are recorded: async ones complete after their response. */
  private Scrape recorded(int requests) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Scrape scrape = Scrape.of(registry);
    while (scrape.value("http_server_requests_total") < requests && System.nanoTime() < deadline) {
      Thread.sleep(20);
      scrape = Scrape.of(registry);
    }
    assertThat(scrape.value("http_server_requests_total")).isEqualTo(requests);
    return scrape;
  }

  private static String word(Random random) {
    char[] letters = new char[4 + random.nextInt(8)];
    for (int i = 0; i < letters.length; i++) {
      letters[i] = (char) ('g' + random.nextInt(20));
    }
    return new String(letters);
  }

  // --- 5. Model reload
  // ----------------------------------------------------------------------------

  /** Attack: any web page could POST a cross-site form to reload the model; 202, uncounted. */
  @ParameterizedTest
  @EnumSource(Container.class)
  void modelReloadNeedsCredentialsAndJsonIsLimitedAndCounted(Container container) throws Exception {
    inferwatch(Map.of("INFERWATCH_METRICS_TOKEN", TOKEN, "INFERWATCH_ADMIN_TOKEN", ADMIN));
    iw.models().onReload(() -> true);
    try (Container.Running app = container.start(new MetricsFilter(iw), kitServlets())) {
      URI reload = app.uri("/health/model/reload");
      String form = "application/x-www-form-urlencoded";

      HttpResponse<String> anonymous = send(reload, "POST", "application/json", "{}", null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().allValues("WWW-Authenticate")).isNotEmpty();
      assertThat(send(reload, "POST", form, "a=b", "Bearer " + ADMIN).statusCode()).isEqualTo(415);
      assertThat(send(reload, "POST", "text/plain", "{}", "Bearer " + ADMIN).statusCode())
          .isEqualTo(415);
      assertThat(send(reload, "POST", "application/json", "{}", "Bearer " + ADMIN).statusCode())
          .isEqualTo(202);
      HttpResponse<String> again =
          send(reload, "POST", "application/json", "{}", "Bearer " + TOKEN);
      assertThat(again.statusCode()).isEqualTo(429);
      assertThat(again.headers().firstValue("Retry-After")).hasValue("1");

      HttpResponse<String> options = send(reload, "OPTIONS", null, null, null);
      assertThat(options.headers().firstValue("Allow").orElse("")).contains("POST");
      assertThat(get(reload, "Bearer " + TOKEN).headers().firstValue("Allow").orElse(""))
          .contains("POST");

      Scrape scrape = recorded(7);
      assertThat(
              scrape.value(
                  "http_server_requests_total", "route", "/health/model/reload", "method", "POST"))
          .as("every reload request is counted, refused ones included")
          .isEqualTo(5);
      assertThat(scrape.value("http_server_requests_total", "status", "401")).isEqualTo(1);
    }
  }

  // --- 6. System details
  // --------------------------------------------------------------------------

  /** Attack: with metrics auth on, /info and /health/* still told versions, paths and sizes. */
  @ParameterizedTest
  @EnumSource(Container.class)
  void systemDetailsNeedCredentialsWhileProbesAnswerStatusOnly(Container container)
      throws Exception {
    inferwatch(Map.of("INFERWATCH_METRICS_TOKEN", TOKEN, "INFERWATCH_APP_VERSION", "7.7.7-secret"));
    iw.health()
        .register(
            "disk",
            HealthGroup.READINESS,
            () -> HealthResult.down("only 12345 bytes free on /var/lib/models"),
            Duration.ofSeconds(1),
            Duration.ZERO);
    try (Container.Running app = container.start(new MetricsFilter(iw), kitServlets())) {
      for (String path :
          List.of(
              "/info",
              "/health/detailed",
              "/health/system",
              "/health/gpu",
              "/health/model",
              "/metrics.json")) {
        HttpResponse<String> refused = get(app.uri(path), null);
        assertThat(refused.statusCode()).as(path).isEqualTo(401);
        assertThat(refused.body()).as(path).doesNotContain("7.7.7", "/var/lib", "bytes");
        assertThat(get(app.uri(path), "Bearer " + TOKEN).statusCode()).as(path).isIn(200, 503);
      }
      for (String path : List.of("/livez", "/readyz", "/startupz", "/health", "/ping")) {
        HttpResponse<String> open = get(app.uri(path), null);
        assertThat(open.statusCode()).as(path).isIn(200, 503);
        JsonNode body = Json.MAPPER.readTree(open.body());
        assertThat(body.get("status").asText()).as(path).isIn("UP", "DOWN");
        assertThat(open.body())
            .as(path)
            .doesNotContain("7.7.7", "/var/lib", "12345", "reason", "version", "bytes");
      }
    }
  }

  // --- 8. Configuration errors
  // --------------------------------------------------------------------

  /** Attack (on ourselves): a typo in a setting failed with a stack trace or a vague message. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "INFERWATCH_MAX_ROUTES     | abc  | INFERWATCH_MAX_ROUTES=abc: not an integer between 1 and"
            + " 100000",
        "INFERWATCH_METRICS_PORT   | -1   | INFERWATCH_METRICS_PORT=-1: not an integer between 0 and"
            + " 65535",
        "INFERWATCH_EVENTS_CAPACITY| many | INFERWATCH_EVENTS_CAPACITY=many: not an integer between"
            + " 1 and 1000000",
        "INFERWATCH_METRICS_USER   | prom | INFERWATCH_METRICS_PASSWORD=(unset): required when"
            + " INFERWATCH_METRICS_USER is set",
      })
  void badSettingsStopStartUpWithOneLineNamingVariableValueAndWhatIsAllowed(
      String variable, String value, String line) {
    assertThatThrownBy(() -> inferwatch(Map.of(variable.trim(), value.trim())))
        .hasMessage(line)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  /** The drop-in with a bad context parameter: one error line, no stack trace, the app runs. */
  @ParameterizedTest
  @EnumSource(Container.class)
  void aBadSettingKeepsTheDropInOutWithOneLogLine(Container container) throws Exception {
    // The log goes wherever the host's SLF4J provider writes: slf4j-simple to stderr, logback's
    // console to stdout. Capture both.
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try (Container.Running app =
        container.start(
            null,
            Container.servlets("/app", TestServlets.text(200, "app")),
            Map.of("inferwatch.max.routes", "abc"),
            new InferwatchInitializer())) {
      assertThat(get(app.uri("/app"), null).statusCode()).isEqualTo(200);
      assertThat(get(app.uri("/livez"), null).statusCode()).isEqualTo(404);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log.lines().filter(l -> l.contains("max.routes")))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.strip())
                    .endsWith("inferwatch.max.routes=abc: not an integer between 1 and 100000"));
    assertThat(log).doesNotContain("\tat dev.inferwatch");
  }
}
