package dev.inferwatch.demo;

import dev.inferwatch.core.internal.DaemonThreads;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Chat traffic for the demo's LLM panels: mostly streams with usage, some blocking requests, a few
 * clients that hang up after three chunks, about one request a second.
 */
final class DemoChatTraffic implements AutoCloseable {

  private static final String[] MODELS = {"fake-model", "fake-model", "gpt-4o-mini"};

  private final Thread thread;
  private volatile boolean running = true;

  private DemoChatTraffic(String base) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.thread =
        DaemonThreads.create(
            "demo-chat-traffic", () -> loop(client, URI.create(base + DemoChat.PATH)));
  }

  static DemoChatTraffic start(String base) {
    DemoChatTraffic traffic = new DemoChatTraffic(base);
    traffic.thread.start();
    return traffic;
  }

  private void loop(HttpClient client, URI uri) {
    RandomGenerator random = DemoRandom.stream(2);
    while (running) {
      int pick = random.nextInt(100);
      boolean stream = pick < 80;
      String body =
          "{\"model\":\""
              + MODELS[random.nextInt(MODELS.length)]
              + "\",\"stream\":"
              + stream
              + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
              + ",\"max_tokens\":"
              + random.nextInt(8, 64)
              + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about request "
              + random.nextInt(1000)
              + "\"}]}";
      try {
        HttpRequest request =
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<InputStream> response =
            client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
          if (stream && pick < 8) {
            // A client that hangs up mid-stream, for the disconnect panel.
            in.readNBytes(600);
          } else {
            in.readAllBytes();
          }
        }
        Thread.sleep(random.nextInt(300, 1500));
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // The server is stopping or busy; try again shortly.
        try {
          Thread.sleep(1000);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
