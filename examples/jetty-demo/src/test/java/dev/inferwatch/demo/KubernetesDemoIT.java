package dev.inferwatch.demo;

import static dev.inferwatch.demo.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo jar started with the Deployment's environment (as the kubelet would: only PORT and HOST
 * differ, to listen on a free loopback port), then probed and stopped the way Kubernetes does: each
 * probe path answers, the scrape path carries the labels the env vars set, and SIGTERM turns {@code
 * /readyz} to 503 while the demo still serves, lets a chat stream finish within the grace, and
 * exits within the pod's termination grace. Every env var of the manifest has its effect checked.
 */
class KubernetesDemoIT {

  /** The env vars whose effect this test checks; a new one in the manifest needs a check here. */
  private static final Set<String> CHECKED =
      Set.of(
          "PORT",
          "INFERWATCH_SERVICE",
          "INFERWATCH_ENV",
          "DEMO_MODEL_LOAD_MS",
          "DEMO_DRAIN_MS",
          "INFERWATCH_CHAT_SHUTDOWN_GRACE_MS",
          "LOG_FORMAT");

  // 40 tokens x 210 ms: the stream outlives the drain (3 s) and the kit's default grace (5 s) but
  // ends well inside the manifest's (10 s), so only a grace read from the env lets it finish.
  private static final String TOKEN_DELAY_MS = "210";

  private final Manifests k8s = Manifests.load();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private Process demo;
  private Path log;

  @AfterEach
  void stop() throws InterruptedException {
    if (demo != null && demo.isAlive()) {
      demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void demoStartedWithTheManifestsEnvAnswersItsProbesAndDrainsOnSigterm() throws Exception {
    Map<String, String> env = k8s.env();
    assertThat(env.keySet()).isSubsetOf(CHECKED);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    log = Files.createTempFile("inferwatch-demo", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                "java", "-XX:TieredStopAtLevel=1", "-jar", System.getProperty("demo.jar"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("PORT", String.valueOf(port));
    builder.environment().put("HOST", "127.0.0.1");
    builder.environment().put("DEMO_CHAT_TOKEN_DELAY_MS", TOKEN_DELAY_MS);
    long started = System.nanoTime();
    demo = builder.start();

    // Startup: /startupz turns 200 once the model is in, well within the startup probe's budget.
    Map<String, Object> startup = k8s.probe("startupProbe");
    int budget =
        Manifests.seconds(startup, "periodSeconds", 10)
            * Manifests.seconds(startup, "failureThreshold", 3);
    awaitStatus(base + at(startup, "httpGet", "path"), 200, Duration.ofSeconds(budget));
    System.out.printf(
        "demo ready after %d ms (startup probe allows %d s)%n",
        (System.nanoTime() - started) / 1_000_000, budget);
    JsonNode model = json.readTree(get(base + "/health/model").body());
    assertThat(model.at("/models/sentiment/load_duration_seconds").asDouble())
        .as("DEMO_MODEL_LOAD_MS")
        .isGreaterThanOrEqualTo(Integer.parseInt(env.get("DEMO_MODEL_LOAD_MS")) / 1000.0);

    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      HttpResponse<String> answer = get(base + at(k8s.probe(probe), "httpGet", "path"));
      assertThat(answer.statusCode()).as(probe).isEqualTo(200);
      assertThat(json.readTree(answer.body()).path("status").asText()).as(probe).isEqualTo("UP");
    }
    Object scrapePath =
        Manifests.map(at(k8s.podTemplate(), "metadata", "annotations")).get("prometheus.io/path");
    HttpResponse<String> metrics = get(base + scrapePath);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .as("INFERWATCH_SERVICE and INFERWATCH_ENV label every series")
        .contains("service=\"" + env.get("INFERWATCH_SERVICE") + "\"")
        .contains("env=\"" + env.get("INFERWATCH_ENV") + "\"");

    // Shutdown: a stream in flight, then SIGTERM as the kubelet sends it after preStop.
    CompletableFuture<String> stream = startStream(base);
    long terminated = System.nanoTime();
    demo.destroy();
    List<String> readiness = pollReadinessUntilGone(base + "/readyz");
    List<Object> preStop =
        Manifests.list(at(k8s.container(), "lifecycle", "preStop", "exec", "command"));
    long exitSeconds =
        ((Number) k8s.podSpec().get("terminationGracePeriodSeconds")).longValue()
            - Long.parseLong(preStop.get(1).toString());
    assertThat(demo.waitFor(exitSeconds, TimeUnit.SECONDS))
        .as("the demo exits within terminationGracePeriodSeconds minus preStop")
        .isTrue();
    System.out.printf(
        "demo exited %d ms after SIGTERM; /readyz answered %s%n",
        (System.nanoTime() - terminated) / 1_000_000, readiness);

    assertThat(readiness)
        .as("DEMO_DRAIN_MS: /readyz answers 503 (check shutdown) while the demo still serves")
        .contains("503 shutdown");
    // Until the JVM runs its shutdown hook (milliseconds) /readyz may still say 200; never after.
    assertThat(readiness.subList(readiness.indexOf("503 shutdown"), readiness.size()))
        .doesNotContain("200 up");
    String events = stream.get(60, TimeUnit.SECONDS);
    assertThat(events)
        .as("INFERWATCH_CHAT_SHUTDOWN_GRACE_MS: the stream in flight finishes")
        .contains("data: [DONE]")
        .doesNotContain("\"code\":\"shutdown\"");
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(lines)
        .as("LOG_FORMAT=json: logback writes one JSON object per line")
        .anySatisfy(line -> assertThat(line).startsWith("{\"").contains("\"level\""));
  }

  /**
   * Polls until the demo stops answering; each answer as "status check", in order, deduplicated.
   */
  private List<String> pollReadinessUntilGone(String url) throws Exception {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String answer;
      try {
        HttpResponse<String> response = get(url);
        answer = response.statusCode() + " " + readinessOf(response.body());
      } catch (ConnectException e) {
        seen.add("refused");
        return seen;
      } catch (IOException e) {
        answer = "io " + e.getClass().getSimpleName();
      }
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(answer)) {
        seen.add(answer);
      }
      if (!demo.isAlive()) {
        return seen;
      }
      Thread.sleep(100);
    }
    return seen;
  }

  /** "shutdown" when the shutdown check is down, "up", or "not json" (Jetty's own 503 page). */
  private String readinessOf(String body) {
    try {
      JsonNode node = json.readTree(body);
      if ("DOWN".equals(node.path("checks").path("shutdown").path("status").asText())) {
        return "shutdown";
      }
      return node.path("status").asText().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "not json";
    }
  }

  /** Starts a chat stream and returns once its first chunk arrived; completes with every line. */
  private CompletableFuture<String> startStream(String base) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + DemoChat.PATH))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"fake-model\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"a long story\"}]}"))
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    InputStream in = response.body();
    StringBuilder first = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && first.indexOf("data: ") < 0) {
      first.append((char) c);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return first + new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return first + " <cut: " + e + ">";
          }
        });
  }

  private void awaitStatus(String url, int status, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      assertThat(demo.isAlive()).as("demo running; log:%n%s", Files.readString(log)).isTrue();
      try {
        last = get(url).statusCode();
        if (last == status) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError(url + " answered " + last + ", not " + status + ", within " + within);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
