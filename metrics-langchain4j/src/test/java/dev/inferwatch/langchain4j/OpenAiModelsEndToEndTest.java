package dev.inferwatch.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.events.Event;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.Scrape;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's real {@link OpenAiChatModel} and {@link OpenAiStreamingChatModel}, with the
 * listener attached and nothing else, against our {@link ChatCompletionsServlet} in embedded Jetty:
 * what the client side records must agree with what the server served.
 */
class OpenAiModelsEndToEndTest {

  private static final String[] TOKEN_TYPES = {"input", "output", "cache_read", "reasoning"};

  private final PrometheusRegistry serverRegistry = new PrometheusRegistry();
  private final Inferwatch server = inferwatch(serverRegistry);
  private final PrometheusRegistry clientRegistry = new PrometheusRegistry();
  private final Inferwatch client = inferwatch(clientRegistry);
  private final InferwatchChatModelListener listener = InferwatchChatModelListener.of(client);
  private final FakeChatModel good =
      FakeChatModel.builder()
          .timeToFirstToken(Duration.ofMillis(5))
          .tokenDelay(Duration.ofMillis(1))
          .tokens(12)
          .tokensPerChunk(2)
          .cachedTokens(3)
          .reasoningTokens(2)
          .build();
  private final FakeChatModel broken =
      FakeChatModel.builder()
          .id("broken-model")
          .timeToFirstToken(Duration.ofMillis(5))
          .tokenDelay(Duration.ofMillis(1))
          .tokens(10)
          .failure(FakeChatModel.Failure.MID_STREAM)
          .failAfterTokens(4)
          .build();
  private Container.Running app;

  private static Inferwatch inferwatch(PrometheusRegistry registry) {
    return Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  }

  @BeforeEach
  void start() throws Exception {
    ChatCompletionsServlet chat = new ChatCompletionsServlet(server, good, broken);
    app = Container.JETTY.start(null, Container.servlets("/v1/chat/completions", chat));
  }

  @AfterEach
  void stop() throws Exception {
    app.close();
    good.close();
    broken.close();
    server.close();
    client.close();
  }

  private ChatModel chatModel(String model) {
    return OpenAiChatModel.builder()
        .baseUrl(app.uri("/v1").toString())
        .apiKey("unused")
        .modelName(model)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .listeners(List.of(listener))
        .build();
  }

  private StreamingChatModel streamingModel(String model) {
    return InferwatchChatModelListener.timeChunks(
        OpenAiStreamingChatModel.builder()
            .baseUrl(app.uri("/v1").toString())
            .apiKey("unused")
            .modelName(model)
            .timeout(Duration.ofSeconds(20))
            .listeners(List.of(listener))
            .build());
  }

  /** Streams {@code prompt} and waits for the end; a failure is thrown as its cause. */
  private static ChatResponse stream(StreamingChatModel model, String prompt) throws Throwable {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat(
        prompt,
        new StreamingChatResponseHandler() {
          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  private Scrape clientSide() {
    return Scrape.of(clientRegistry);
  }

  private Scrape serverSide() {
    return Scrape.of(serverRegistry);
  }

  @Test
  void clientTokenSumsEqualTheServedOnesAndEveryClientDurationCoversTheServers() throws Throwable {
    ChatModel chat = chatModel("fake-model");
    StreamingChatModel streaming = streamingModel("fake-model");
    int calls = 8;
    for (int i = 0; i < calls; i++) {
      String prompt = "call number " + i + " asks" + " for words".repeat(i);
      double clientBefore = clientSide().value("gen_ai_client_operation_duration_seconds_sum");
      double serverBefore = serverSide().value("gen_ai_server_request_duration_seconds_sum");

      ChatResponse response =
          i % 2 == 0 ? chat.chat(chatRequest(prompt)) : stream(streaming, prompt);

      assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(12);
      double clientSeconds =
          clientSide().value("gen_ai_client_operation_duration_seconds_sum") - clientBefore;
      double serverSeconds =
          serverSide().value("gen_ai_server_request_duration_seconds_sum") - serverBefore;
      assertThat(serverSeconds).as("server duration of call %d", i).isPositive();
      assertThat(clientSeconds)
          .as("client duration of call %d", i)
          .isGreaterThanOrEqualTo(serverSeconds);
    }

    Scrape c = clientSide();
    Scrape s = serverSide();
    for (String type : TOKEN_TYPES) {
      double served = s.value("gen_ai_server_token_usage_sum", "token_type", type);
      assertThat(served).as("served %s tokens", type).isPositive();
      assertThat(c.value("gen_ai_client_token_usage_sum", "token_type", type))
          .as("client %s tokens", type)
          .isEqualTo(served);
      assertThat(c.value("gen_ai_client_token_usage_count", "token_type", type)).isEqualTo(calls);
    }
    assertThat(
            c.value(
                "gen_ai_client_operation_duration_seconds_count",
                "provider",
                "openai",
                "model",
                "fake-model",
                "operation",
                "chat",
                "error_type",
                ""))
        .isEqualTo(calls);
    assertThat(c.value("gen_ai_client_operation_time_to_first_chunk_seconds_count"))
        .isEqualTo(calls / 2);
    assertThat(c.value("gen_ai_client_operation_time_per_output_chunk_seconds_count"))
        .as("12 tokens in chunks of 2: 6 chunks, 5 gaps per stream")
        .isEqualTo(5.0 * calls / 2);
    assertThat(c.value("gen_ai_client_usage_missing_total")).isZero();
    assertThat(c.value("provider_requests_total", "provider", "openai", "outcome", "ok"))
        .isEqualTo(calls);
    assertThat(c.value("provider_response_time_seconds_count", "provider", "openai"))
        .isEqualTo(calls);
    assertThat(c.value("model_uptime_24h_ratio", "model", "fake-model")).isEqualTo(1.0);
    assertThat(c.value("inferwatch_internal_errors_total")).isZero();
  }

  private static dev.langchain4j.model.chat.request.ChatRequest chatRequest(String prompt) {
    return dev.langchain4j.model.chat.request.ChatRequest.builder()
        .messages(dev.langchain4j.data.message.UserMessage.from(prompt))
        .build();
  }

  @Test
  void streamsRecordTheirTimeToFirstChunkFromTheRequest() throws Throwable {
    stream(streamingModel("fake-model"), "Hello there");

    Scrape c = clientSide();
    Scrape s = serverSide();
    assertThat(c.value("gen_ai_client_operation_time_to_first_chunk_seconds_count")).isEqualTo(1);
    assertThat(c.value("gen_ai_client_operation_time_to_first_chunk_seconds_sum"))
        .as("the client's first chunk comes after the server's first token")
        .isGreaterThanOrEqualTo(s.value("gen_ai_server_time_to_first_token_seconds_sum"));
  }

  @Test
  void aServerSideMidStreamFailureIsAFailedProviderOutcomeWithTheServersMessage() {
    assertThatThrownBy(() -> stream(streamingModel("broken-model"), "Hello there"))
        .hasMessageContaining("fake model failed after 4 tokens");

    Scrape c = clientSide();
    assertThat(
            c.value("provider_requests_total", "provider", "openai", "outcome", "failed_midstream"))
        .isEqualTo(1);
    assertThat(c.value("provider_requests_total", "outcome", "ok")).isZero();
    assertThat(client.events().lastError("openai"))
        .get()
        .extracting(Event::message)
        .isEqualTo("fake model failed after 4 tokens");
    assertThat(client.events().lastError("openai").get().fields())
        .containsEntry("outcome", "failed_midstream")
        .containsEntry("status", "model_error")
        .containsEntry("retryable", false);
    assertThat(
            c.value(
                "gen_ai_client_operation_duration_seconds_count",
                "model",
                "broken-model",
                "error_type",
                "model_error"))
        .isEqualTo(1);
    assertThat(c.value("gen_ai_client_operation_time_to_first_chunk_seconds_count")).isEqualTo(1);
    assertThat(c.value("gen_ai_client_usage_missing_total"))
        .as("a failed call is not an answer without usage")
        .isZero();
    assertThat(serverSide().value("gen_ai_server_requests_total", "finish_reason", "error"))
        .isEqualTo(1);
  }

  @Test
  void anUnknownModelShowsItsErrorTypeAndNoNewModelLabel() {
    assertThatThrownBy(() -> chatModel("no-such-model").chat("Hello"))
        .isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> stream(streamingModel("no-such-model"), "Hello"))
        .isInstanceOf(ModelNotFoundException.class);

    Scrape c = clientSide();
    assertThat(
            c.value(
                "gen_ai_client_operation_duration_seconds_count",
                "provider",
                "openai",
                "model",
                "unknown",
                "error_type",
                "404"))
        .isEqualTo(2);
    assertThat(c.text()).doesNotContain("no-such-model");
    assertThat(c.value("provider_requests_total", "provider", "openai", "outcome", "failed"))
        .isEqualTo(2);
    Event error = client.events().lastError("openai").orElseThrow();
    assertThat(error.message()).isEqualTo("The model `no-such-model` does not exist");
    assertThat(error.fields()).containsEntry("status", "404").containsEntry("retryable", false);
    assertThat(serverSide().text()).doesNotContain("no-such-model");
  }
}
