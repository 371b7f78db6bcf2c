package dev.inferwatch.servlet.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official OpenAI Java SDK against the chat servlet in Jetty 12 and Tomcat 11: if the SDK
 * parses our answers, streams and errors, any OpenAI client can point at an app using the kit.
 */
class OpenAiSdkTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final List<FakeChatModel> models = new ArrayList<>();

  @AfterEach
  void close() {
    models.forEach(FakeChatModel::close);
    iw.close();
  }

  private Container.Running start(Container container, FakeChatModel.Builder model)
      throws Exception {
    FakeChatModel fake =
        model.timeToFirstToken(Duration.ofMillis(5)).tokenDelay(Duration.ofMillis(1)).build();
    models.add(fake);
    return start(container, new ChatCompletionsServlet(iw, fake));
  }

  private Container.Running start(Container container, ChatCompletionsServlet servlet)
      throws Exception {
    return container.start(
        new MetricsFilter(iw),
        Container.servlets(
            "/v1/chat/completions", servlet, "/v1/models", servlet, "/v1/models/*", servlet));
  }

  private static OpenAIClient client(Container.Running app) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(app.uri("/v1").toString())
        .apiKey("unused")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  private static ChatCompletionCreateParams.Builder hello() {
    return ChatCompletionCreateParams.builder().model("fake-model").addUserMessage("Hello there");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theSdkReadsACompletionWithItsUsage(Container container) throws Exception {
    try (Container.Running app = start(container, FakeChatModel.builder().tokens(6))) {
      ChatCompletion completion = client(app).chat().completions().create(hello().build());

      assertThat(completion.id()).startsWith("chatcmpl-");
      assertThat(completion.model()).isEqualTo("fake-model");
      assertThat(completion.choices()).hasSize(1);
      assertThat(completion.choices().get(0).message().content()).get().asString().isNotBlank();
      assertThat(completion.choices().get(0).finishReason())
          .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
      assertThat(completion.usage())
          .get()
          .satisfies(u -> assertThat(u.completionTokens()).isEqualTo(6));
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theSdkStreamsEveryTokenThenTheUsage(Container container) throws Exception {
    try (Container.Running app = start(container, FakeChatModel.builder().tokens(9))) {
      StringBuilder text = new StringBuilder();
      List<Long> usage = new ArrayList<>();
      int contentChunks = 0;
      try (StreamResponse<ChatCompletionChunk> stream =
          client(app)
              .chat()
              .completions()
              .createStreaming(
                  hello()
                      .streamOptions(
                          ChatCompletionStreamOptions.builder().includeUsage(true).build())
                      .build())) {
        for (ChatCompletionChunk chunk :
            (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
          for (ChatCompletionChunk.Choice choice : chunk.choices()) {
            String delta = choice.delta().content().orElse("");
            if (!delta.isEmpty()) {
              contentChunks++;
              text.append(delta);
            }
          }
          chunk.usage().ifPresent(u -> usage.add(u.completionTokens()));
        }
      }

      assertThat(contentChunks).isEqualTo(9);
      assertThat(text).isNotEmpty();
      assertThat(usage).containsExactly(9L);
      assertThat(Scrape.of(registry).value("gen_ai_server_requests_total", "finish_reason", "stop"))
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theSdkSurfacesAMidStreamFailureAsAnError(Container container) throws Exception {
    FakeChatModel.Builder failing =
        FakeChatModel.builder()
            .tokens(9)
            .failure(FakeChatModel.Failure.MID_STREAM)
            .failAfterTokens(3);
    try (Container.Running app = start(container, failing);
        StreamResponse<ChatCompletionChunk> stream =
            client(app).chat().completions().createStreaming(hello().build())) {
      assertThatThrownBy(() -> stream.stream().forEach(chunk -> {}))
          .isInstanceOf(OpenAIException.class)
          .hasMessageContaining("after 3 tokens");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theSdkReadsOurErrorsAndModelList(Container container) throws Exception {
    try (Container.Running app = start(container, FakeChatModel.builder())) {
      OpenAIClient client = client(app);

      assertThatThrownBy(() -> client.chat().completions().create(hello().temperature(9.0).build()))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("temperature");
      assertThat(client.models().list().data()).extracting(Model::id).contains("fake-model");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theSdkReadsAnUnknownModelAsNotFound(Container container) throws Exception {
    try (Container.Running app = start(container, FakeChatModel.builder())) {
      assertThatThrownBy(
              () -> client(app).chat().completions().create(hello().model("gpt-9-turbo").build()))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("The model `gpt-9-turbo` does not exist")
          .satisfies(e -> assertThat(((NotFoundException) e).statusCode()).isEqualTo(404));
    }
    assertThat(Scrape.of(registry).labelValues("gen_ai_server_requests_total", "model"))
        .doesNotContain("gpt-9-turbo");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theSdkReadsAFullServerAsRateLimited(Container container) throws Exception {
    FakeChatModel hanging = FakeChatModel.builder().failure(FakeChatModel.Failure.HANG).build();
    models.add(hanging);
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw).model(hanging).maxConcurrent(1).maxQueued(0).build();
    try (Container.Running app = start(container, servlet)) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.util.concurrent.CompletableFuture<?> holder =
          http.sendAsync(
              java.net.http.HttpRequest.newBuilder(app.uri("/v1/chat/completions"))
                  .header("Content-Type", "application/json")
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          dev.inferwatch.testkit.ChatClient.body("fake-model", true)))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      ChatServingTest.await(() -> servlet.runningRequests() == 1);

      assertThatThrownBy(() -> client(app).chat().completions().create(hello().build()))
          .isInstanceOf(RateLimitException.class)
          .satisfies(e -> assertThat(((RateLimitException) e).statusCode()).isEqualTo(429))
          .satisfies(
              e ->
                  assertThat(((RateLimitException) e).headers().values("Retry-After"))
                      .containsExactly("1"));
      holder.cancel(true);
    }
  }
}
