package dev.inferwatch.servlet.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.testkit.ChatClient;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.LiveThreads;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chat servlet in real Jetty 12 and Tomcat 11: wire format, SSE, failures and exact metrics.
 */
class ChatCompletionsServletTest {

  private static final String CHAT = "/v1/chat/completions";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final ChatClient chat = new ChatClient();
  private final List<FakeChatModel> models = new ArrayList<>();

  @AfterEach
  void closeModels() {
    models.forEach(FakeChatModel::close);
  }

  private FakeChatModel.Builder fake() {
    return FakeChatModel.builder()
        .timeToFirstToken(Duration.ofMillis(5))
        .tokenDelay(Duration.ofMillis(1))
        .tokens(8);
  }

  private FakeChatModel track(FakeChatModel model) {
    models.add(model);
    return model;
  }

  private Container.Running start(Container container, ChatCompletionsServlet servlet)
      throws Exception {
    return container.start(
        new MetricsFilter(iw),
        Container.servlets(CHAT, servlet, "/chat/completions", servlet, "/v1/models", servlet));
  }

  private Container.Running start(Container container, FakeChatModel model) throws Exception {
    return start(container, new ChatCompletionsServlet(iw, track(model)));
  }

  private Scrape scrape() {
    return Scrape.of(registry);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void answersANonStreamingRequestWithAChatCompletion(Container container) throws Exception {
    FakeChatModel model = fake().build();
    try (Container.Running app = start(container, model)) {
      ChatClient.Reply reply = chat.post(app.uri(CHAT), ChatClient.body("fake-model", false));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      JsonNode json = reply.json();
      assertThat(json.path("id").asText()).startsWith("chatcmpl-");
      assertThat(json.path("object").asText()).isEqualTo("chat.completion");
      assertThat(json.path("created").asLong()).isPositive();
      assertThat(json.path("model").asText()).isEqualTo("fake-model");
      JsonNode choice = json.path("choices").get(0);
      assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
      assertThat(choice.path("message").path("content").asText())
          .isEqualTo(String.join("", model.answer(request("fake-model"))))
          .isNotBlank();
      assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
      assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(8);
      assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(4);
      assertThat(json.path("usage").path("total_tokens").asInt()).isEqualTo(12);

      Scrape s = scrape();
      assertThat(
              s.value(
                  "gen_ai_server_requests_total", "model", "fake-model", "finish_reason", "stop"))
          .isEqualTo(1);
      assertThat(s.value("gen_ai_server_token_usage_sum", "token_type", "output")).isEqualTo(8);
      assertThat(s.value("gen_ai_server_token_usage_sum", "token_type", "input")).isEqualTo(4);
      assertThat(s.value("gen_ai_client_token_usage_count")).isZero();
      assertThat(s.value("gen_ai_server_request_duration_seconds_count", "provider", "fake"))
          .isEqualTo(1);
      assertThat(s.value("gen_ai_server_time_to_first_token_seconds_count")).isZero();
      assertThat(
              s.value(
                  "gen_ai_server_request_queue_time_seconds_count",
                  "operation",
                  "chat",
                  "model",
                  "fake-model"))
          .isEqualTo(1);
      assertThat(s.value("gen_ai_server_requests_running")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void oneInstanceUnderThreeMappingsLeavesNoChatThreadBehind(Container container) throws Exception {
    Set<Thread> before = LiveThreads.named("inferwatch-chat");
    try (Container.Running app = start(container, fake().build())) {
      String body = ChatClient.body("fake-model", false);
      assertThat(chat.post(app.uri(CHAT), body).status()).isEqualTo(200);
      assertThat(chat.post(app.uri("/chat/completions"), body).status()).isEqualTo(200);
      assertThat(
              chat.send(app.uri("/v1/models"), "GET", null, HttpRequest.BodyPublishers.noBody())
                  .status())
          .isEqualTo(200);
    }

    assertThat(LiveThreads.named("inferwatch-chat")).isSubsetOf(before);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void streamsSseChunksThenUsageThenDone(Container container) throws Exception {
    FakeChatModel model =
        fake()
            .timeToFirstToken(Duration.ofMillis(150))
            .tokenDelay(Duration.ofMillis(5))
            .tokens(12)
            .build();
    try (Container.Running app = start(container, model)) {
      ChatClient.Reply reply =
          chat.post(
              app.uri(CHAT),
              ChatClient.body("fake-model", true, "\"stream_options\":{\"include_usage\":true}"));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("text/event-stream");
      assertThat(reply.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(reply.header("X-Accel-Buffering")).isEqualTo("no");
      List<String> events = reply.events();
      assertThat(events).last().isEqualTo("[DONE]");
      List<JsonNode> chunks = reply.chunks();
      assertThat(chunks).hasSize(1 + 12 + 1 + 1);
      String id = chunks.get(0).path("id").asText();
      for (JsonNode chunk : chunks) {
        assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(chunk.path("id").asText()).isEqualTo(id);
        assertThat(chunk.path("model").asText()).isEqualTo("fake-model");
        assertThat(chunk.has("usage")).isTrue();
      }
      assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText())
          .isEqualTo("assistant");
      JsonNode finish = chunks.get(13).path("choices").get(0);
      assertThat(finish.path("finish_reason").asText()).isEqualTo("stop");
      assertThat(finish.path("delta").size()).isZero();
      JsonNode usage = chunks.get(14);
      assertThat(usage.path("choices").size()).isZero();
      assertThat(usage.path("usage").path("completion_tokens").asLong())
          .isEqualTo(reply.contentChunks())
          .isEqualTo(12);
      assertThat(reply.content()).isEqualTo(String.join("", model.answer(request("fake-model"))));

      Scrape s = scrape();
      assertThat(s.value("gen_ai_server_time_to_first_token_seconds_count")).isEqualTo(1);
      assertThat(s.value("gen_ai_server_time_to_first_token_seconds_sum"))
          .isGreaterThanOrEqualTo(0.150)
          .isLessThan(1.150);
      assertThat(s.value("gen_ai_server_inter_token_latency_seconds_count")).isEqualTo(11);
      assertThat(s.value("gen_ai_server_time_per_output_token_seconds_count")).isEqualTo(1);
      assertThat(s.value("gen_ai_server_token_usage_sum", "token_type", "output")).isEqualTo(12);
      assertThat(s.value("gen_ai_server_requests_total", "finish_reason", "stop")).isEqualTo(1);
      assertThat(s.value("gen_ai_server_streams_active")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void omitsTheUsageChunkWithoutIncludeUsageAndHonoursMaxTokensForTheOneModelServed(
      Container container) throws Exception {
    try (Container.Running app = start(container, fake().build())) {
      // With one model served, a request may omit "model" (seed 000): it means that model.
      ChatClient.Reply reply =
          chat.post(
              app.uri("/chat/completions"),
              "{\"stream\":true,\"max_tokens\":3,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Say something nice\"}]}");

      List<JsonNode> chunks = reply.chunks();
      assertThat(reply.events()).last().isEqualTo("[DONE]");
      assertThat(chunks).hasSize(1 + 3 + 1);
      assertThat(chunks.get(4).path("choices").get(0).path("finish_reason").asText())
          .isEqualTo("length");
      assertThat(chunks).allSatisfy(c -> assertThat(c.has("usage")).isFalse());
      assertThat(chunks.get(0).path("model").asText()).isEqualTo("fake-model");
      assertThat(scrape().value("gen_ai_server_requests_total", "finish_reason", "length"))
          .isEqualTo(1);
      assertThat(scrape().value("gen_ai_server_request_max_tokens_sum", "model", "fake-model"))
          .isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aMidStreamFailureSendsAnErrorChunkThenDone(Container container) throws Exception {
    FakeChatModel model =
        fake().failure(FakeChatModel.Failure.MID_STREAM).failAfterTokens(3).build();
    try (Container.Running app = start(container, model)) {
      ChatClient.Reply reply = chat.post(app.uri(CHAT), ChatClient.body("fake-model", true));

      assertThat(reply.status()).isEqualTo(200);
      List<JsonNode> chunks = reply.chunks();
      assertThat(reply.events()).last().isEqualTo("[DONE]");
      assertThat(reply.contentChunks()).isEqualTo(3);
      JsonNode error = chunks.get(chunks.size() - 1).path("error");
      assertThat(error.path("type").asText()).isEqualTo("server_error");
      assertThat(error.path("message").asText()).contains("after 3 tokens");

      Scrape s = scrape();
      assertThat(s.value("gen_ai_server_requests_total", "finish_reason", "error")).isEqualTo(1);
      assertThat(
              s.value(
                  "gen_ai_server_request_duration_seconds_count",
                  "error_type",
                  "IllegalStateException"))
          .isEqualTo(1);
      assertThat(s.value("gen_ai_server_streams_active")).isZero();
      assertThat(iw.events().lastError("fake-model"))
          .get()
          .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.LLM_FAILED))
          .satisfies(
              e ->
                  assertThat(e.message())
                      .startsWith("IllegalStateException: ")
                      .contains("after 3 tokens"));
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aFailureBeforeTheFirstTokenIsAnHttpError(Container container) throws Exception {
    FakeChatModel model = fake().failure(FakeChatModel.Failure.BEFORE_FIRST_TOKEN).build();
    try (Container.Running app = start(container, model)) {
      ChatClient.Reply streamed = chat.post(app.uri(CHAT), ChatClient.body("fake-model", true));
      ChatClient.Reply blocking = chat.post(app.uri(CHAT), ChatClient.body("fake-model", false));

      for (ChatClient.Reply reply : List.of(streamed, blocking)) {
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("error").path("type").asText()).isEqualTo("server_error");
      }
      assertThat(scrape().value("gen_ai_server_requests_total", "finish_reason", "error"))
          .isEqualTo(2);
      assertThat(iw.events().recent(50))
          .filteredOn(e -> e.type() == EventType.LLM_FAILED)
          .hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aHangingModelTimesOutWith504AndIsCancelled(Container container) throws Exception {
    FakeChatModel model = track(fake().failure(FakeChatModel.Failure.HANG).build());
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw).model(model).timeout(Duration.ofMillis(300)).build();
    try (Container.Running app = start(container, servlet)) {
      long start = System.nanoTime();
      ChatClient.Reply streamed = chat.post(app.uri(CHAT), ChatClient.body("fake-model", true));
      ChatClient.Reply blocking = chat.post(app.uri(CHAT), ChatClient.body("fake-model", false));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(streamed.status()).isEqualTo(504);
      assertThat(blocking.status()).isEqualTo(504);
      assertThat(streamed.json().path("error").path("code").asText()).isEqualTo("timeout");
      assertThat(elapsedMillis).isLessThan(2 * 300 + 2_000);
      assertThat(model.cancellations()).isEqualTo(1);
      assertThat(model.activeStreams()).isZero();
      assertThat(servlet.activeStreams()).isZero();
      assertThat(
              scrape()
                  .value("gen_ai_server_request_duration_seconds_count", "error_type", "timeout"))
          .isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aClientThatDisconnectsCancelsTheModelAndLeavesNothingBehind(Container container)
      throws Exception {
    FakeChatModel model = track(fake().tokenDelay(Duration.ofMillis(20)).tokens(500).build());
    ChatCompletionsServlet servlet = new ChatCompletionsServlet(iw, model);
    try (Container.Running app = start(container, servlet)) {
      String body = ChatClient.body("fake-model", true);
      try (Socket socket = new Socket("127.0.0.1", app.base().getPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST "
                    + CHAT
                    + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\nConnection: close\r\n\r\n"
                    + body)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        int chunks = 0;
        for (String line; chunks < 3 && (line = in.readLine()) != null; ) {
          if (line.startsWith("data: ")) {
            chunks++;
          }
        }
        assertThat(chunks).isEqualTo(3);
        assertThat(servlet.activeStreams()).isEqualTo(1);
      }
      long closed = System.nanoTime();

      await(
          () ->
              model.cancellations() == 1
                  && servlet.activeStreams() == 0
                  && scrape().value("gen_ai_server_streams_active") == 0
                  && scrape().value("http_server_active_requests") == 0);
      long settledMillis = (System.nanoTime() - closed) / 1_000_000;

      System.out.printf(
          "%s disconnect after 3 chunks: cancelled and settled in %d ms%n",
          container, settledMillis);
      assertThat(settledMillis).isLessThan(1_000);
      assertThat(model.activeStreams()).isZero();
      Scrape s = scrape();
      assertThat(s.value("gen_ai_server_stream_disconnects_total", "model", "fake-model"))
          .isEqualTo(1);
      assertThat(s.value("gen_ai_server_requests_total", "finish_reason", "abort")).isEqualTo(1);
      assertThat(s.value("http_server_client_disconnects_total")).isEqualTo(1);
      assertThat(iw.llm().streamsActive()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void twoHundredConcurrentStreamsCompleteWithExactCounts(Container container) throws Exception {
    FakeChatModel model =
        fake()
            .timeToFirstToken(Duration.ofMillis(20))
            .tokenDelay(Duration.ofMillis(2))
            .tokens(10)
            .build();
    ChatCompletionsServlet servlet = new ChatCompletionsServlet(iw, track(model));
    try (Container.Running app = start(container, servlet)) {
      int n = 200;
      long started = System.nanoTime();
      List<CompletableFuture<ChatClient.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String body = ChatClient.body("fake-model", true, "\"user\":\"u" + i + "\"");
        replies.add(CompletableFuture.supplyAsync(() -> chat.post(app.uri(CHAT), body), POOL));
      }
      long contentChunks = 0;
      for (CompletableFuture<ChatClient.Reply> f : replies) {
        ChatClient.Reply reply = f.get();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.events()).last().isEqualTo("[DONE]");
        contentChunks += reply.contentChunks();
      }
      await(() -> scrape().value("http_server_active_requests") == 0);

      assertThat(contentChunks).isEqualTo(n * 10L);
      Scrape s = scrape();
      assertThat(s.value("gen_ai_server_requests_total", "finish_reason", "stop")).isEqualTo(n);
      assertThat(s.value("gen_ai_server_time_to_first_token_seconds_count")).isEqualTo(n);
      assertThat(s.value("gen_ai_server_inter_token_latency_seconds_count")).isEqualTo(n * 9);
      assertThat(s.value("gen_ai_server_token_usage_sum", "token_type", "output"))
          .isEqualTo(n * 10);
      assertThat(s.value("gen_ai_server_streams_active")).isZero();
      assertThat(s.value("http_server_requests_total", "status", "200")).isEqualTo(n);
      assertThat(servlet.activeStreams()).isZero();
      System.out.printf(
          "%s %d concurrent streams x 10 tokens: %d ms wall, mean TTFT %.1f ms (fake: 20 ms),"
              + " mean inter-token %.2f ms (fake: 2 ms)%n",
          container,
          n,
          (System.nanoTime() - started) / 1_000_000,
          1e3 * s.value("gen_ai_server_time_to_first_token_seconds_sum") / n,
          1e3 * s.value("gen_ai_server_inter_token_latency_seconds_sum") / (n * 9));
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aThousandRandomModelIdsAre404AndTheModelLabelHoldsOnlyServedIds(Container container)
      throws Exception {
    FakeChatModel first = track(fake().timeToFirstToken(Duration.ZERO).tokens(1).build());
    FakeChatModel second =
        track(fake().id("second").timeToFirstToken(Duration.ZERO).tokens(1).build());
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw).model(first).model(second).build();
    try (Container.Running app = start(container, servlet)) {
      List<CompletableFuture<ChatClient.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String body = ChatClient.body("random-" + i + "-" + System.nanoTime(), i % 2 == 0);
        replies.add(CompletableFuture.supplyAsync(() -> chat.post(app.uri(CHAT), body), POOL));
      }
      for (CompletableFuture<ChatClient.Reply> f : replies) {
        ChatClient.Reply reply = f.get();
        assertThat(reply.status()).isEqualTo(404);
        JsonNode error = reply.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("model_not_found");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("model");
        assertThat(error.path("message").asText())
            .matches("The model `random-\\d+-\\d+` does not exist");
      }
      assertThat(chat.post(app.uri(CHAT), ChatClient.body("fake-model", false)).status())
          .isEqualTo(200);
      assertThat(chat.post(app.uri(CHAT), ChatClient.body("second", true)).status()).isEqualTo(200);

      Scrape s = scrape();
      for (String family :
          List.of(
              "gen_ai_server_requests_total",
              "gen_ai_server_request_duration_seconds_count",
              "gen_ai_server_token_usage_count",
              "gen_ai_server_requests_running")) {
        assertThat(s.labelValues(family, "model"))
            .as(family)
            .containsExactly("fake-model", "second");
      }
      assertThat(s.value("gen_ai_server_requests_total")).isEqualTo(2);
      assertThat(s.value("http_server_requests_total", "route", CHAT, "status", "404"))
          .isEqualTo(1000);
      assertThat(s.value("inferwatch_label_overflow_total")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void listsConfiguredModels(Container container) throws Exception {
    FakeChatModel second = track(fake().id("second").build());
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw).model(track(fake().build())).model(second).build();
    try (Container.Running app = start(container, servlet)) {
      ChatClient.Reply reply =
          chat.send(app.uri("/v1/models"), "GET", null, HttpRequest.BodyPublishers.noBody());

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().path("object").asText()).isEqualTo("list");
      assertThat(reply.json().findValuesAsText("id")).containsExactly("fake-model", "second");
      assertThat(reply.json().path("data").get(0).path("owned_by").asText()).isEqualTo("fake");
    }
  }

  static final java.util.concurrent.ExecutorService POOL =
      java.util.concurrent.Executors.newFixedThreadPool(
          32,
          r -> {
            Thread t = new Thread(r, "chat-test-client");
            t.setDaemon(true);
            return t;
          });

  private static ChatRequest request(String model) {
    return ChatRequest.builder(model).message("user", "Say something nice").build();
  }

  /** Polls {@code condition} for up to 5 s; the caller asserts the bound it cares about. */
  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition not met within 5 s").isNegative();
      Thread.sleep(10);
    }
  }
}
