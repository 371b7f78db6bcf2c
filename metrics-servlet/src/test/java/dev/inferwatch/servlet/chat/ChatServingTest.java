package dev.inferwatch.servlet.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.testkit.ChatClient;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Serving as an OpenAI server and vLLM do it, over real HTTP in Jetty 12 and Tomcat 11: time per
 * output token over the reported tokens, cached and reasoning tokens, finish reasons, {@code
 * max_tokens}, the optional model id, and a queued stream whose client leaves.
 */
class ChatServingTest {

  private static final String CHAT = "/v1/chat/completions";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final ChatClient chat = new ChatClient();
  private final List<FakeChatModel> models = new ArrayList<>();

  @AfterEach
  void close() {
    models.forEach(FakeChatModel::close);
    iw.close();
  }

  private FakeChatModel track(FakeChatModel.Builder model) {
    FakeChatModel built = model.build();
    models.add(built);
    return built;
  }

  private Container.Running start(Container container, ChatCompletionsServlet servlet)
      throws Exception {
    return container.start(
        new MetricsFilter(iw), Container.servlets(CHAT, servlet, "/v1/models", servlet));
  }

  private Scrape scrape() {
    return Scrape.of(registry);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void timePerOutputTokenDividesByTheTokensAModelSendsThreeToAChunk(Container container)
      throws Exception {
    FakeChatModel model =
        track(
            FakeChatModel.builder()
                .timeToFirstToken(Duration.ofMillis(30))
                .tokenDelay(Duration.ofMillis(15))
                .tokens(30)
                .tokensPerChunk(3));
    try (Container.Running app = start(container, new ChatCompletionsServlet(iw, model))) {
      ChatClient.Reply reply =
          chat.post(
              app.uri(CHAT),
              ChatClient.body("fake-model", true, "\"stream_options\":{\"include_usage\":true}"));

      assertThat(reply.contentChunks()).isEqualTo(10);
      assertThat(
              reply.chunks().get(reply.chunks().size() - 1).at("/usage/completion_tokens").asInt())
          .isEqualTo(30);
      Scrape s = scrape();
      double duration = s.value("gen_ai_server_request_duration_seconds_sum");
      double ttft = s.value("gen_ai_server_time_to_first_token_seconds_sum");
      double tpot = s.value("gen_ai_server_time_per_output_token_seconds_sum");
      double expected = (duration - ttft) / (30 - 1);
      assertThat(s.value("gen_ai_server_time_per_output_token_seconds_count")).isEqualTo(1);
      assertThat(tpot).isCloseTo(expected, within(expected * 0.01));
      // The inter-token histogram stays per chunk gap: 9 gaps of about 15 ms each.
      assertThat(s.value("gen_ai_server_inter_token_latency_seconds_count")).isEqualTo(9);
      double gap = s.value("gen_ai_server_inter_token_latency_seconds_sum") / 9;
      assertThat(tpot).isLessThan(gap / 2);
      System.out.printf(
          "%s 3 tokens per chunk, 15 ms per chunk: TPOT %.2f ms (expected %.2f ms), chunk gap %.2f"
              + " ms%n",
          container, tpot * 1e3, expected * 1e3, gap * 1e3);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void cachedAndReasoningTokensArePassedThroughAndRecordedUnderTheirTypes(Container container)
      throws Exception {
    FakeChatModel detailed =
        track(
            FakeChatModel.builder()
                .timeToFirstToken(Duration.ZERO)
                .tokenDelay(Duration.ZERO)
                .tokens(8)
                .cachedTokens(2)
                .reasoningTokens(5));
    FakeChatModel plain = track(FakeChatModel.builder().id("plain").tokens(3));
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw).model(detailed).model(plain).build();
    try (Container.Running app = start(container, servlet)) {
      JsonNode blocking = chat.post(app.uri(CHAT), ChatClient.body("fake-model", false)).json();
      List<JsonNode> streamed =
          chat.post(
                  app.uri(CHAT),
                  ChatClient.body(
                      "fake-model", true, "\"stream_options\":{\"include_usage\":true}"))
              .chunks();
      JsonNode none = chat.post(app.uri(CHAT), ChatClient.body("plain", false)).json();

      for (JsonNode usage :
          List.of(blocking.path("usage"), streamed.get(streamed.size() - 1).path("usage"))) {
        assertThat(usage.at("/prompt_tokens").asInt()).isEqualTo(4);
        assertThat(usage.at("/completion_tokens").asInt()).isEqualTo(8);
        assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(2);
        assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(5);
      }
      assertThat(none.path("usage").has("prompt_tokens_details")).isFalse();
      assertThat(none.path("usage").has("completion_tokens_details")).isFalse();
      Scrape s = scrape();
      String family = "gen_ai_server_token_usage_sum";
      assertThat(s.value(family, "model", "fake-model", "token_type", "cache_read")).isEqualTo(4);
      assertThat(s.value(family, "model", "fake-model", "token_type", "reasoning")).isEqualTo(10);
      assertThat(s.value(family, "model", "fake-model", "token_type", "input")).isEqualTo(8);
      assertThat(s.value(family, "model", "fake-model", "token_type", "output")).isEqualTo(16);
      assertThat(s.series(family, "model", "plain", "token_type", "cache_read")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void finishReasonsOfTheModelReachTheWireAndTheLabel(Container container) throws Exception {
    ChatModel filtered =
        new ChatModel() {
          @Override
          public String id() {
            return "guarded";
          }

          @Override
          public ChatCompletion complete(ChatRequest request) {
            return new ChatCompletion("", FinishReason.CONTENT_FILTER, new ChatUsage(3, 0));
          }

          @Override
          public void stream(ChatRequest request, ChatSink sink) {
            sink.delta("{\"call\":1}");
            sink.complete(FinishReason.TOOL_CALLS, new ChatUsage(3, 1));
          }
        };
    try (Container.Running app = start(container, new ChatCompletionsServlet(iw, filtered))) {
      JsonNode blocking = chat.post(app.uri(CHAT), ChatClient.body("guarded", false)).json();
      List<JsonNode> streamed = chat.post(app.uri(CHAT), ChatClient.body("guarded", true)).chunks();

      assertThat(blocking.at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
      assertThat(streamed.get(streamed.size() - 1).at("/choices/0/finish_reason").asText())
          .isEqualTo("tool_calls");
      Scrape s = scrape();
      assertThat(
              s.value(
                  "gen_ai_server_requests_total",
                  "provider",
                  "local",
                  "model",
                  "guarded",
                  "finish_reason",
                  "content_filter"))
          .isEqualTo(1);
      assertThat(s.value("gen_ai_server_requests_total", "finish_reason", "tool_calls"))
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theModelIdMayBeOmittedOnlyWhenOneModelIsServed(Container container) throws Exception {
    String omitted = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}";
    FakeChatModel only = track(FakeChatModel.builder().timeToFirstToken(Duration.ZERO));
    try (Container.Running one = start(container, new ChatCompletionsServlet(iw, only))) {
      ChatClient.Reply reply = chat.post(one.uri(CHAT), omitted);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().path("model").asText()).isEqualTo("fake-model");
    }
    ChatCompletionsServlet two =
        ChatCompletionsServlet.builder(iw)
            .model(only)
            .model(track(FakeChatModel.builder().id("other")))
            .build();
    try (Container.Running app = start(container, two)) {
      ChatClient.Reply reply = chat.post(app.uri(CHAT), omitted);
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.json().at("/error/param").asText()).isEqualTo("model");
      assertThat(reply.json().at("/error/message").asText()).isEqualTo("model is required");
    }
    assertThat(scrape().value("gen_ai_server_request_max_tokens_count", "model", "fake-model"))
        .isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aQueuedStreamWhoseClientLeavesIsDroppedAndNeverRun(Container container) throws Exception {
    FakeChatModel model =
        track(
            FakeChatModel.builder()
                .timeToFirstToken(Duration.ZERO)
                .tokenDelay(Duration.ofMillis(20))
                .tokens(250));
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw).model(model).maxConcurrent(1).maxQueued(4).build();
    try (Container.Running app = start(container, servlet)) {
      CompletableFuture<ChatClient.Reply> holder =
          CompletableFuture.supplyAsync(
              () -> chat.post(app.uri(CHAT), ChatClient.body("fake-model", true)));
      await(() -> servlet.runningRequests() == 1 && model.invocations() == 1);

      try (Socket socket = new Socket("127.0.0.1", app.base().getPort())) {
        send(socket, ChatClient.body("fake-model", true));
        await(() -> servlet.waitingRequests() == 1);
        assertThat(scrape().value("gen_ai_server_requests_waiting", "model", "fake-model"))
            .isEqualTo(1);
      }
      // Neither container reports a closed idle connection: the waiting stream's heartbeat finds
      // it within two heartbeat periods.
      await(() -> servlet.waitingRequests() == 0);
      assertThat(scrape().value("gen_ai_server_requests_total", "finish_reason", "abort"))
          .isEqualTo(1);
      assertThat(holder.isDone()).isFalse();

      ChatClient.Reply next =
          chat.post(app.uri(CHAT), ChatClient.body("fake-model", false, "\"max_tokens\":1"));
      assertThat(holder.get().status()).isEqualTo(200);
      assertThat(next.status()).isEqualTo(200);
      assertThat(model.invocations()).isEqualTo(2);
      Scrape s = scrape();
      assertThat(s.value("gen_ai_server_request_queue_time_seconds_count")).isEqualTo(2);
      assertThat(s.value("gen_ai_server_requests_waiting")).isZero();
      assertThat(s.value("gen_ai_server_requests_running")).isZero();
      assertThat(s.value("http_server_client_disconnects_total")).isEqualTo(1);
      assertThat(s.value("http_server_errors_total")).isZero();
    }
  }

  private static void send(Socket socket, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST "
                + CHAT
                + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + bytes.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
  }

  /** Polls {@code condition} for up to 10 s; the caller asserts the bound it cares about. */
  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition not met within 10 s").isNegative();
      Thread.sleep(10);
    }
  }
}
