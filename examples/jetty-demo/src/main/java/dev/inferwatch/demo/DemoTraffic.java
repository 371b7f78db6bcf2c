package dev.inferwatch.demo;

import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.servlet.ServletPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A low, steady load against the demo's own endpoints (about five requests a second, one in seven a
 * prediction) so that every HTTP and model panel has data the moment Prometheus first scrapes.
 */
final class DemoTraffic implements AutoCloseable {

  // Mostly valid batches of one to four reviews, now and then a body the servlet rejects.
  private static final String[] PREDICT_BODIES = {
    "{\"instances\":[\"great product, fast delivery\"]}",
    "{\"instances\":[\"awful\",\"love it\"]}",
    "{\"instances\":[\"slow and broken\",\"good\",\"excellent\",\"meh\"]}",
    "{\"instances\":[\"good value\"]}",
    "{\"instances\":[\"bad\"]}",
    "{\"instances\": [\"truncated\"",
  };

  private final Thread thread;
  private volatile boolean running = true;

  private DemoTraffic(String base) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.thread = DaemonThreads.create("demo-traffic", () -> loop(client, base));
  }

  static DemoTraffic start(String base) {
    DemoTraffic traffic = new DemoTraffic(base);
    traffic.thread.start();
    return traffic;
  }

  private void loop(HttpClient client, String base) {
    String[] models = {"llama-3-8b", "mistral-7b", "gpt-4o-mini"};
    RandomGenerator random = DemoRandom.stream(1);
    while (running) {
      String path;
      String method = "GET";
      String body = null;
      int pick = random.nextInt(100);
      if (pick < 15) {
        path = ServletPaths.PREDICT.get(0);
        method = "POST";
        body = PREDICT_BODIES[random.nextInt(PREDICT_BODIES.length)];
      } else if (pick < 35) {
        path = "/hello";
      } else if (pick < 55) {
        path = "/v1/models/" + models[random.nextInt(models.length)];
      } else if (pick < 75) {
        path = "/users/" + random.nextInt(1, 10_000) + "/orders";
      } else if (pick < 82) {
        path = "/users/" + new UUID(random.nextLong(), random.nextLong()) + "/orders";
        method = "POST";
      } else if (pick < 92) {
        path = "/slow?ms=" + random.nextInt(20, 400);
      } else if (pick < 96) {
        path = "/no-such-page-" + random.nextInt(1000);
      } else {
        path = "/fail";
      }
      try {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        client.send(request, HttpResponse.BodyHandlers.discarding());
        Thread.sleep(random.nextInt(100, 300));
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // The server is stopping or busy; try again shortly.
        sleepQuietly();
      }
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
