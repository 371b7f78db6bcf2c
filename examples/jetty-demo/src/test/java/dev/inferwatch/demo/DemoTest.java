package dev.inferwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The running demo, as a user meets it: {@code inferwatch-cli check} while the model loads and
 * after, a {@code top --once} frame with every section and live numbers, request ids in responses
 * and log lines, and {@code LOG_FORMAT=json} output that is JSON from the first line to the last.
 */
class DemoTest {

  private final HttpClient client = HttpClient.newHttpClient();

  private record Run(int status, String out) {}

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            InputStream.nullInputStream());
    return new Run(status, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void checkTopRequestIdsAndJsonLogsAgainstTheRunningDemo() throws Exception {
    try (RunningDemo demo = new RunningDemo(Map.of("DEMO_MODEL_LOAD_MS", "12000"))) {
      String url = demo.base().toString();

      Run loading = cli("check", url);
      assertThat(loading.status()).as(loading.out()).isEqualTo(1);
      assertThat(loading.out()).startsWith("not ready: ").contains("HTTP 503");

      Run ready = loading;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ready.status() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(250);
        ready = cli("check", url);
      }
      assertThat(ready.status()).as(ready.out()).isZero();
      assertThat(ready.out().trim()).isEqualTo("ready");

      HttpResponse<String> order =
          client.send(
              HttpRequest.newBuilder(demo.base().resolve("users/7/orders"))
                  .header("X-Request-Id", "demo-order-7")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(order.headers().firstValue("X-Request-Id")).hasValue("demo-order-7");
      HttpResponse<String> bad =
          client.send(
              HttpRequest.newBuilder(demo.base().resolve("predict"))
                  .header("X-Request-Id", "demo-bad-predict")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{oops"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(RunningDemo.parse(bad.body()).path("error").path("request_id").asText())
          .isEqualTo("demo-bad-predict");

      // The history needs two samples (10 s apart) for rates and quantiles.
      while (uptime(demo) < 12) {
        Thread.sleep(500);
      }
      Run top = cli("top", url, "--once");
      assertThat(top.status()).as(top.out()).isZero();
      assertEverySectionIsLive(top.out());

      Run events = cli("events", url, "--once");
      assertThat(events.status()).isZero();
      assertThat(events.out()).contains("startup inferwatch-demo: Inferwatch started");

      demo.close();
      List<JsonNode> logLines = new ArrayList<>();
      for (String line : demo.lines()) {
        logLines.add(RunningDemo.parse(line));
      }
      assertThat(logLines).allSatisfy(line -> assertThat(line.has("formattedMessage")).isTrue());
      assertThat(logLines)
          .anySatisfy(
              line -> {
                assertThat(line.path("mdc").path("request_id").asText()).isEqualTo("demo-order-7");
                assertThat(line.path("formattedMessage").asText())
                    .isEqualTo("Order placed for user /7/orders");
                assertThat(line.path("kvpList").toString()).contains("\"channel\"");
              });
      assertThat(logLines)
          .anySatisfy(
              line ->
                  assertThat(line.path("formattedMessage").asText())
                      .startsWith("Inferwatch demo is up at "));
      assertThat(logLines)
          .anySatisfy(
              line ->
                  assertThat(line.path("kvpList").toString()).contains("{\"event\":\"startup\"}"));
    }
  }

  private double uptime(RunningDemo demo) throws Exception {
    String body =
        client
            .send(
                HttpRequest.newBuilder(demo.base().resolve("metrics.json")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return RunningDemo.parse(body).path("uptime_seconds").asDouble();
  }

  private static void assertEverySectionIsLive(String frame) {
    List<String> lines = frame.lines().toList();
    assertThat(lines.get(0))
        .startsWith("inferwatch top · inferwatch-demo · dev · v")
        .contains("READY");
    assertThat(frame).containsPattern("req/s +\\d+(\\.\\d)? +[▁▂▃▄▅▆▇█]");
    assertThat(frame).containsPattern("p95 +\\d+(\\.\\d+)? (ms|s) +[▁▂▃▄▅▆▇█]");
    assertThat(section(lines, "ROUTES"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .containsPattern("^  /\\S+ +\\d+\\.\\d +\\d+ +\\d+(\\.\\d+)? (ms|s)$"));
    assertThat(section(lines, "PROVIDERS"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .containsPattern(
                        "^  (openai|anthropic|groq|local-vllm) +\\d+(\\.\\d+)? +\\w+ +\\d+"));
    assertThat(section(lines, "MODELS"))
        .anySatisfy(l -> assertThat(l).containsPattern("^  sentiment +ready +\\d+ +\\d+ +\\d+$"));
    assertThat(frame)
        .containsPattern(
            "LLM  streams \\d+ · requests [1-9]\\d* · TTFT p95 \\d+(\\.\\d+)? (ms|s) · tokens in/out [\\d.k]+/[\\d.k]+");
    assertThat(frame).containsPattern("(?m)^GPU  (none: .+|\\S+)$");
    assertThat(section(lines, "EVENTS"))
        .anySatisfy(l -> assertThat(l).containsPattern("^  \\d\\d:\\d\\d:\\d\\d \\w+ "));
  }

  /** The lines under {@code header} up to the next section header. */
  private static List<String> section(List<String> lines, String header) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : lines) {
      if (line.startsWith(header)) {
        in = true;
      } else if (in && !line.startsWith("  ")) {
        break;
      } else if (in) {
        out.add(line);
      }
    }
    assertThat(out).as("section " + header).isNotEmpty();
    return out;
  }
}
