package dev.inferwatch.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.testkit.RawHttp;
import dev.inferwatch.testkit.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;

/**
 * What the starter gives {@link ShopApplication} over real HTTP, on whichever container the
 * subclass runs: Spring MVC's patterns as routes, the chat endpoint, probes beside Actuator's, one
 * registry shared with Micrometer, and {@code application.yml} applied. Counts are asserted as
 * differences, since the tests of a class share one application.
 */
abstract class StarterContract {

  private static final String TOKEN = "Bearer it-token";

  @Value("${local.server.port}")
  int port;

  @Autowired Inferwatch inferwatch;

  @Autowired ApplicationContext context;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  Scrape metrics() throws Exception {
    HttpResponse<String> response = get("/metrics", "Authorization", TOKEN);
    assertThat(response.statusCode()).isEqualTo(200);
    return Scrape.parse(response.body());
  }

  Scrape actuator() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Scrape.parse(response.body());
  }

  double products(Scrape scrape) {
    return scrape.value(
        "http_server_requests_total",
        "route",
        "/products/{slug}",
        "method",
        "GET",
        "status",
        "200",
        "service",
        "shop",
        "env",
        "it");
  }

  /** {@code /info} with the metrics credentials: details, such as the container's server info. */
  String info() throws Exception {
    HttpResponse<String> response = get("/info", "Authorization", TOKEN);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  @Test
  void detailsNeedTheMetricsTokenWhileProbesStayOpen() throws Exception {
    for (String path : List.of("/info", "/health/detailed", "/metrics.json")) {
      HttpResponse<String> refused = get(path);
      assertThat(refused.statusCode()).as(path).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
      assertThat(get(path, "Authorization", TOKEN).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(get("/startupz").statusCode()).isEqualTo(200);
    assertThat(get("/ping").statusCode()).isEqualTo(200);
  }

  @Test
  void slugsOfOneControllerMethodAreOneRoute() throws Exception {
    double before = products(metrics());

    assertThat(get("/products/blue-shirt").body()).isEqualTo("product blue-shirt");
    assertThat(get("/products/red-hat").body()).isEqualTo("product red-hat");

    Scrape after = metrics();
    assertThat(products(after) - before).isEqualTo(2.0);
    assertThat(after.labelValues("http_server_requests_total", "route"))
        .noneMatch(route -> route.contains("blue-shirt") || route.contains("red-hat"));
  }

  @Test
  void tenThousandRandomSlugsLeaveOneRouteValue() throws Exception {
    double before = products(metrics());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        String slug = UUID.randomUUID().toString().substring(0, 8 + i % 20) + "-item";
        statuses.add(pool.submit(() -> get("/products/" + slug).statusCode()));
      }
      for (Future<Integer> status : statuses) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }

    Scrape after = metrics();
    assertThat(products(after) - before).isEqualTo(10_000.0);
    assertThat(after.labelValues("http_server_requests_total", "route"))
        .filteredOn(route -> route.startsWith("/products"))
        .containsExactly("/products/{slug}");
    assertThat(after.value("inferwatch_label_overflow_total")).isZero();
  }

  @Test
  void theChatEndpointAnswersBecauseAChatModelBeanExists() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .timeout(Duration.ofSeconds(20))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"chat.completion\"").contains("\"choices\"");
    assertThat(metrics().value("gen_ai_server_requests_total", "model", "fake-model"))
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void probesAnswerActuatorsBesideTheKits() throws Exception {
    // Actuator maps /livez and /readyz (add-additional-paths): the kit does not claim them.
    assertThat(get("/livez").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").body()).doesNotContain("\"checks\"");
    // The kit's other probes stay, with Boot's availability among their checks.
    assertThat(get("/startupz").statusCode()).isEqualTo(200);
    assertThat(get("/ping").statusCode()).isEqualTo(200);
    assertThat(get("/health/detailed", "Authorization", TOKEN).body())
        .contains("\"readiness_state\"")
        .contains("\"liveness_state\"");
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"inferwatch\"").contains("\"readiness_state\"");
  }

  @Test
  void readinessFollowsBootsAvailability() {
    AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
    try {
      assertThat(inferwatch.health().check(HealthGroup.READINESS).up()).isFalse();
    } finally {
      AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }
    assertThat(inferwatch.health().check(HealthGroup.READINESS).up()).isTrue();
  }

  @Test
  void actuatorAndMetricsShowTheSameHttpCounts() throws Exception {
    get("/products/green-scarf");

    Scrape actuator = actuator();
    Scrape metrics = metrics();

    Map<Map<String, String>, Double> ours = metrics.series("http_server_requests_total");
    assertThat(ours).isNotEmpty();
    assertThat(actuator.series("http_server_requests_total")).isEqualTo(ours);
    // Micrometer's own timer is there too, under its own name.
    assertThat(actuator.value("http_server_requests_seconds_count", "uri", "/products/{slug}"))
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void theSharedRegistryHasEachFamilyOnceAndNoRegistrationErrors() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Set<String> families = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String family = line.split(" ")[2];
        if (!families.add(family)) {
          duplicates.add(family);
        }
      }
    }
    assertThat(duplicates).isEmpty();
    // Micrometer binds the JVM; the kit's own JVM collectors are off here.
    assertThat(families)
        .contains(
            "jvm_memory_used_bytes",
            "http_server_requests_total",
            "http_server_requests_seconds",
            "executor_active_threads");
    assertThat(Scrape.parse(response.body()).value("inferwatch_internal_errors_total")).isZero();
  }

  @Test
  void theContainerAdapterTimesTheWaitForAThreadAndCountsRequestsTheContainerRefuses()
      throws Exception {
    Scrape before = metrics();

    assertThat(RawHttp.get(port, "/%zz")).isEqualTo(400);
    assertThat(get("/products/timed").statusCode()).isEqualTo(200);

    Scrape after = metrics();
    for (int i = 0; i < 100 && rejected(after) - rejected(before) < 1; i++) {
      Thread.sleep(20); // the container logs a refused request after answering it
      after = metrics();
    }
    assertThat(rejected(after) - rejected(before)).isEqualTo(1.0);
    assertThat(
            after.value("http_server_request_queue_duration_seconds_count")
                - before.value("http_server_request_queue_duration_seconds_count"))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(info())
        .containsPattern("\"from\"\\s*:\\s*\"arrival\"")
        .containsPattern("\"source\"\\s*:\\s*\"[^\"]*(TimedThreadExecutor|TimedThreadPool)");
  }

  private static double rejected(Scrape scrape) {
    return scrape.value("http_server_requests_total", "route", "__rejected__", "status", "400");
  }

  @Test
  void applicationYmlIsApplied() throws Exception {
    assertThat(get("/metrics").statusCode()).isEqualTo(401);
    assertThat(inferwatch.service()).isEqualTo("shop");
    assertThat(inferwatch.environment()).isEqualTo("it");
    assertThat(inferwatch.routes().maxRoutes()).isEqualTo(40);
    assertThat(metrics().labelValues("http_server_active_requests", "service"))
        .containsExactly("shop");
  }
}
