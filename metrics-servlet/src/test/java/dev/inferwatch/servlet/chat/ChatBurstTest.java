package dev.inferwatch.servlet.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.testkit.ChatClient;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 500 concurrent chat requests against 8 workers and a queue of 16, in Jetty 12 and Tomcat 11:
 * never more than 8 run, the rest are served from the queue or refused with 429, every gauge is
 * back to 0 afterwards, and the kit's worker threads never pass the bound.
 */
class ChatBurstTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final int REQUESTS = 500;
  private static final int MAX_RUNNING = 8;
  private static final int MAX_QUEUED = 16;

  @ParameterizedTest
  @EnumSource(Container.class)
  void fiveHundredAtOnceNeverRunMoreThanTheBoundAndTheRestAre429(Container container)
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Inferwatch iw =
        Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
    FakeChatModel model =
        FakeChatModel.builder()
            .timeToFirstToken(Duration.ofMillis(20))
            .tokenDelay(Duration.ofMillis(10))
            .tokens(6)
            .build();
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw)
            .model(model)
            .maxConcurrent(MAX_RUNNING)
            .maxQueued(MAX_QUEUED)
            .build();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    int threadsBefore = Thread.activeCount();
    try (Container.Running app =
        container.start(new MetricsFilter(iw), Container.servlets(CHAT, servlet))) {
      AtomicBoolean sampling = new AtomicBoolean(true);
      AtomicInteger maxRunning = new AtomicInteger();
      AtomicInteger maxWaiting = new AtomicInteger();
      AtomicInteger maxGaugeRunning = new AtomicInteger();
      AtomicInteger maxWorkers = new AtomicInteger();
      AtomicInteger maxThreads = new AtomicInteger();
      Thread sampler =
          new Thread(
              () -> {
                int round = 0;
                while (sampling.get()) {
                  maxRunning.accumulateAndGet(servlet.runningRequests(), Math::max);
                  maxWaiting.accumulateAndGet(servlet.waitingRequests(), Math::max);
                  maxGaugeRunning.accumulateAndGet((int) iw.llm().requestsRunning(), Math::max);
                  if (round++ % 10 == 0) {
                    maxWorkers.accumulateAndGet(workerThreads(), Math::max);
                    maxThreads.accumulateAndGet(Thread.activeCount(), Math::max);
                  }
                  try {
                    Thread.sleep(1);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "burst-sampler");
      sampler.start();
      List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        HttpRequest request =
            HttpRequest.newBuilder(app.uri(CHAT))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        ChatClient.body("fake-model", i % 2 == 0, "\"user\":\"u" + i + "\"")))
                .build();
        replies.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      int served = 0;
      int refused = 0;
      for (CompletableFuture<HttpResponse<String>> f : replies) {
        HttpResponse<String> reply = f.get();
        if (reply.statusCode() == 200) {
          served++;
        } else {
          assertThat(reply.statusCode()).isEqualTo(429);
          assertThat(reply.headers().firstValue("Retry-After")).contains("1");
          assertThat(ChatClient.parse(reply.body()).at("/error/code").asText())
              .isEqualTo("rate_limit_exceeded");
          refused++;
        }
      }
      ChatServingTest.await(
          () ->
              Scrape.of(registry).value("http_server_active_requests") == 0
                  && servlet.runningRequests() == 0);
      sampling.set(false);
      sampler.join();

      Scrape s = Scrape.of(registry);
      assertThat(served + refused).isEqualTo(REQUESTS);
      assertThat(served).isGreaterThanOrEqualTo(MAX_RUNNING + MAX_QUEUED);
      assertThat(maxRunning.get()).isBetween(1, MAX_RUNNING);
      assertThat(maxGaugeRunning.get()).isBetween(1, MAX_RUNNING);
      assertThat(maxWaiting.get()).isLessThanOrEqualTo(MAX_QUEUED);
      assertThat(maxWorkers.get()).isBetween(1, MAX_RUNNING);
      assertThat(s.value("gen_ai_server_requests_running")).isZero();
      assertThat(s.value("gen_ai_server_requests_waiting")).isZero();
      assertThat(s.value("gen_ai_server_streams_active")).isZero();
      assertThat(s.value("gen_ai_server_requests_total")).isEqualTo(served);
      assertThat(s.value("gen_ai_server_request_queue_time_seconds_count")).isEqualTo(served);
      assertThat(s.value("http_server_requests_total", "status", "429")).isEqualTo(refused);
      assertThat(servlet.waitingRequests()).isZero();
      System.out.printf(
          "%s %d concurrent requests against %d running / %d queued: %d served, %d refused (429);"
              + " peak running %d, peak waiting %d, peak kit worker threads %d; JVM threads %d"
              + " before the container, peak %d, %d after%n",
          container,
          REQUESTS,
          MAX_RUNNING,
          MAX_QUEUED,
          served,
          refused,
          maxRunning.get(),
          maxWaiting.get(),
          maxWorkers.get(),
          threadsBefore,
          maxThreads.get(),
          Thread.activeCount());
    } finally {
      model.close();
      iw.close();
    }
    assertThat(workerThreads()).isZero();
  }

  /** Live worker threads of the chat servlets: {@code inferwatch-chat-N}. */
  static int workerThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().matches("inferwatch-chat-\\d+")) {
        n++;
      }
    }
    return n;
  }
}
