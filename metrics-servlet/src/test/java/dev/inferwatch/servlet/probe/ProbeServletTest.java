package dev.inferwatch.servlet.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.core.health.HealthResult;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.testkit.Container;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The probe endpoints over real HTTP in Jetty 12 and Tomcat 11. */
class ProbeServletTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void release() {
    never.countDown();
    iw.close();
  }

  private Container.Running start(Container container) throws Exception {
    ProbeServlet probes = new ProbeServlet(iw);
    java.util.Map<String, jakarta.servlet.Servlet> servlets = new java.util.LinkedHashMap<>();
    for (String path : ServletPaths.PROBES) {
      servlets.put(path, probes);
    }
    servlets.put(ServletPaths.PROBE_ROOT, probes);
    return container.start(new MetricsFilter(iw), servlets);
  }

  private HttpResponse<String> send(Container.Running app, String method, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> reload(Container.Running app) throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.uri("/health/model/reload"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    return Json.MAPPER.readTree(response.body());
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void livenessStaysUpWhileReadinessIsDown(Container container) throws Exception {
    iw.health().readiness("database", () -> false);
    try (Container.Running app = start(container)) {
      HttpResponse<String> live = send(app, "GET", "/livez");
      HttpResponse<String> ready = send(app, "GET", "/readyz");

      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(json(live).get("status").asText()).isEqualTo("UP");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready).at("/checks/database/reason").asText())
          .isEqualTo("check returned false");
      assertThat(send(app, "GET", "/ping").statusCode()).isEqualTo(200);
      assertThat(send(app, "GET", "/").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aHungCheckAnswers503WithinItsTimeout(Container container) throws Exception {
    iw.health()
        .register(
            "hangs",
            HealthGroup.READINESS,
            () -> {
              never.await();
              return HealthResult.up();
            },
            Duration.ofMillis(500),
            Duration.ZERO);
    try (Container.Running app = start(container)) {
      send(app, "GET", "/livez");
      long t0 = System.nanoTime();
      HttpResponse<String> ready = send(app, "GET", "/readyz");
      long millis = (System.nanoTime() - t0) / 1_000_000;

      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready).at("/checks/hangs/reason").asText())
          .isEqualTo("timed out after 500 ms");
      System.out.printf("%s /readyz with a hung 500 ms check: 503 in %d ms%n", container, millis);
      // The check's first run started when it was registered and never returns: the probe shares
      // that run and answers by its deadline, however late it asks. The bound is timeout +
      // 100 ms; two shared cores get a full second of slack.
      assertThat(millis).isLessThan(1_500L);
      assertThat(send(app, "GET", "/livez").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void startupTurnsFrom503To200(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> before = send(app, "GET", "/startupz");
      assertThat(before.statusCode()).isEqualTo(503);
      assertThat(json(before).at("/checks/started/reason").asText()).isEqualTo("not started yet");

      iw.health().markStarted();

      assertThat(send(app, "GET", "/startupz").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void detailedHealthShowsEveryCheck(Container container) throws Exception {
    iw.health().liveness("threads", () -> true);
    iw.health().readiness("cache", () -> false);
    try (Container.Running app = start(container)) {
      HttpResponse<String> overall = send(app, "GET", "/health");
      HttpResponse<String> detailed = send(app, "GET", "/health/detailed");

      assertThat(overall.statusCode()).isEqualTo(503);
      assertThat(detailed.statusCode()).isEqualTo(503);
      JsonNode checks = json(detailed).get("checks");
      assertThat(checks.at("/threads/status").asText()).isEqualTo("UP");
      assertThat(checks.at("/threads/last_success").isTextual()).isTrue();
      assertThat(checks.at("/threads/duration_seconds").isNumber()).isTrue();
      assertThat(checks.at("/cache/reason").asText()).isEqualTo("check returned false");
      assertThat(checks.at("/cache/last_success").isNull()).isTrue();
      assertThat(checks.at("/started/group").asText()).isEqualTo("startup");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void headAnswersTheStatusWithoutABody(Container container) throws Exception {
    iw.health().readiness("cache", () -> false);
    try (Container.Running app = start(container)) {
      HttpResponse<String> head = send(app, "HEAD", "/readyz");

      assertThat(head.statusCode()).isEqualTo(503);
      assertThat(head.body()).isEmpty();
      assertThat(send(app, "HEAD", "/livez").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void modelHealthFollowsTheLifecycle(Container container) throws Exception {
    var lifecycle = iw.models().lifecycle("sentiment", () -> "model").version("v1");
    try (Container.Running app = start(container)) {
      assertThat(send(app, "GET", "/health/model").statusCode()).isEqualTo(503);
      assertThat(send(app, "GET", "/readyz").statusCode()).isEqualTo(503);
      lifecycle.load();
      HttpResponse<String> model = send(app, "GET", "/health/model");

      assertThat(model.statusCode()).isEqualTo(200);
      assertThat(json(model).at("/models/sentiment/state").asText()).isEqualTo("ready");
      assertThat(json(model).at("/models/sentiment/stage").asText()).isEqualTo("primary");
      assertThat(send(app, "GET", "/readyz").statusCode()).isEqualTo(200);
      assertThat(send(app, "GET", "/startupz").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void reloadIsUnsupportedThenAcceptedThenLimitedThenConflicting(Container container)
      throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(reload(app).statusCode()).isEqualTo(501);

      AtomicBoolean running = new AtomicBoolean();
      iw.models().onReload(() -> running.compareAndSet(false, true));
      Thread.sleep(1_100); // one reload request per second
      HttpResponse<String> accepted = reload(app);
      HttpResponse<String> limited = reload(app);
      Thread.sleep(1_100);
      HttpResponse<String> conflict = reload(app);

      assertThat(accepted.statusCode()).isEqualTo(202);
      assertThat(json(accepted).get("status").asText()).isEqualTo("reloading");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(conflict.statusCode()).isEqualTo(409);
      assertThat(json(conflict).at("/error/type").asText()).isEqualTo("conflict");
      assertThat(send(app, "GET", "/health/model/reload").statusCode()).isEqualTo(405);
      assertThat(send(app, "POST", "/readyz").statusCode()).isEqualTo(405);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void systemAndGpuReportWhatIsThere(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> system = send(app, "GET", "/health/system");
      HttpResponse<String> gpu = send(app, "GET", "/health/gpu");

      assertThat(system.statusCode()).isEqualTo(200);
      JsonNode body = json(system);
      assertThat(body.at("/heap/used_bytes").asLong()).isPositive();
      assertThat(body.at("/cpu/available_processors").asInt()).isPositive();
      assertThat(body.at("/disk/free_bytes").isNumber()).isTrue();
      assertThat(body.get("uptime_seconds").isNumber()).isTrue();
      if (System.getProperty("os.name").startsWith("Linux")) {
        assertThat(body.at("/process_memory/rss_bytes").asLong()).isPositive();
        assertThat(body.at("/process_memory/shared_bytes").isNumber()).isTrue();
      }
      assertThat(gpu.statusCode()).isEqualTo(200);
      assertThat(json(gpu).get("available").asBoolean()).isFalse();
      assertThat(json(gpu).get("reason").asText()).isEqualTo("GPU module not installed");
      assertThat(send(app, "GET", "/health/nope").statusCode()).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void gpuAndOtherModulesServeTheirStatus(Container container) throws Exception {
    iw.close();
    try (Inferwatch withGpu =
            Inferwatch.builder()
                .registry(new PrometheusRegistry())
                .jvmMetrics(false)
                .discoverModules(false)
                .module(new FakeModule("gpu"))
                .module(new FakeModule("tpu"))
                .build();
        Container.Running app =
            container.start(null, Container.servlets("/health/*", new ProbeServlet(withGpu)))) {
      HttpResponse<String> gpu = send(app, "GET", "/health/gpu");
      HttpResponse<String> tpu = send(app, "GET", "/health/tpu");

      assertThat(gpu.statusCode()).isEqualTo(200);
      assertThat(json(gpu).get("available").asBoolean()).isTrue();
      assertThat(json(gpu).at("/devices/0/name").asText()).isEqualTo("gpu-0");
      assertThat(json(tpu).at("/devices/0/name").asText()).isEqualTo("tpu-0");
    }
  }

  /** A module reporting one device, as the GPU module's status contract has it. */
  private static final class FakeModule implements dev.inferwatch.core.InferwatchModule {
    private final String name;

    FakeModule(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start(Inferwatch iw) {}

    @Override
    public java.util.Map<String, Object> status() {
      return java.util.Map.of(
          "available", true, "devices", java.util.List.of(java.util.Map.of("name", name + "-0")));
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void readinessTurns503AsSoonAsShutdownBegins(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(send(app, "GET", "/readyz").statusCode()).isEqualTo(200);

      iw.health().beginShutdown();
      HttpResponse<String> ready = send(app, "GET", "/readyz");

      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready).at("/checks/shutdown/reason").asText()).isEqualTo("shutting down");
      assertThat(send(app, "GET", "/livez").statusCode()).isEqualTo(200);
    }
  }
}
