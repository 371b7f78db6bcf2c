package dev.inferwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo as users start it: its own JVM (the test's class path), {@code LOG_FORMAT=json}, a free
 * port on 127.0.0.1; every line it writes to stdout and stderr is kept.
 */
final class RunningDemo implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING =
      Pattern.compile("demo listening on 127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final URI base;

  RunningDemo(Map<String, String> environment) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                DemoServer.class.getName())
            .redirectErrorStream(true);
    builder.environment().put("PORT", "0");
    builder.environment().put("HOST", "127.0.0.1");
    builder.environment().put("LOG_FORMAT", "json");
    builder.environment().putAll(environment);
    process = builder.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the demo stopped
              }
            },
            "demo-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    URI found = null;
    while (found == null && System.nanoTime() < deadline && process.isAlive()) {
      for (String line : lines) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          found = URI.create("http://127.0.0.1:" + m.group(1) + "/");
        }
      }
      Thread.sleep(50);
    }
    if (found == null) {
      process.destroyForcibly();
      throw new IllegalStateException("the demo did not start: " + lines);
    }
    base = found;
    awaitLiveness(deadline);
  }

  /**
   * The first request of a cold JVM on a loaded machine can take seconds (class loading, the first
   * health runs): wait for {@code /livez} here, so that a test's first timed call meets a warm
   * demo.
   */
  private void awaitLiveness(long deadline) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpResponse<Void> live =
            client.send(
                HttpRequest.newBuilder(base.resolve("livez"))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (live.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not answering yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the demo never answered /livez: " + lines);
  }

  URI base() {
    return base;
  }

  /** Every line written so far. */
  List<String> lines() {
    return lines;
  }

  /** The lines parsed as JSON; one that is not JSON throws, naming it. */
  static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }

  /** Stops the demo as a user would (SIGTERM: shutdown hooks run) and waits for it. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
