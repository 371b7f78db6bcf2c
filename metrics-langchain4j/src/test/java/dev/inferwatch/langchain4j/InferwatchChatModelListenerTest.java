package dev.inferwatch.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.testkit.Scrape;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InferwatchChatModelListenerTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final InferwatchChatModelListener listener = InferwatchChatModelListener.of(iw);

  @AfterEach
  void close() {
    iw.close();
  }

  private Scrape scrape() {
    return Scrape.of(registry);
  }

  private static ChatRequest request(String model) {
    return ChatRequest.builder().modelName(model).messages(UserMessage.from("Hello")).build();
  }

  private static StreamingChatResponseHandler quiet(AtomicReference<ChatResponse> done) {
    return new StreamingChatResponseHandler() {
      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.set(response);
      }

      @Override
      public void onError(Throwable error) {}
    };
  }

  @Test
  void anAnswerWithoutUsageCountsUsageMissingAndRecordsNoTokens() {
    ScriptedModels.chat(ModelProvider.OPEN_AI, null, listener).chat(request("gpt-4o"));
    AtomicReference<ChatResponse> done = new AtomicReference<>();
    InferwatchChatModelListener.timeChunks(ScriptedModels.streaming(3, null, listener))
        .chat(request("gpt-4o"), quiet(done));

    assertThat(done.get()).isNotNull();
    Scrape s = scrape();
    assertThat(
            s.value("gen_ai_client_usage_missing_total", "provider", "openai", "model", "gpt-4o"))
        .isEqualTo(2);
    assertThat(s.value("gen_ai_client_token_usage_count")).isZero();
    assertThat(s.labelValues("gen_ai_client_token_usage_count", "token_type"))
        .doesNotContain("cache_read", "reasoning");
    assertThat(s.value("gen_ai_client_operation_duration_seconds_count", "error_type", ""))
        .isEqualTo(2);
    assertThat(s.value("provider_requests_total", "outcome", "ok")).isEqualTo(2);
  }

  @Test
  void reportedCountsAreRecordedAndUnreportedOnesStayAbsent() {
    ScriptedModels.chat(ModelProvider.OPEN_AI, new TokenUsage(12, null), listener)
        .chat(request("gpt-4o"));
    ScriptedModels.chat(
            ModelProvider.OPEN_AI,
            OpenAiTokenUsage.builder()
                .inputTokenCount(30)
                .outputTokenCount(9)
                .inputTokensDetails(
                    OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(20).build())
                .outputTokensDetails(
                    OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(4).build())
                .build(),
            listener)
        .chat(request("gpt-4o"));

    Scrape s = scrape();
    assertThat(s.value("gen_ai_client_token_usage_sum", "token_type", "input")).isEqualTo(42);
    assertThat(s.value("gen_ai_client_token_usage_count", "token_type", "output")).isEqualTo(1);
    assertThat(s.value("gen_ai_client_token_usage_sum", "token_type", "output")).isEqualTo(9);
    assertThat(s.value("gen_ai_client_token_usage_sum", "token_type", "cache_read")).isEqualTo(20);
    assertThat(s.value("gen_ai_client_token_usage_sum", "token_type", "reasoning")).isEqualTo(4);
    assertThat(s.value("gen_ai_client_usage_missing_total")).isZero();
  }

  @Test
  void aModelNameThatChangesPerRequestStaysBounded() {
    ChatModel model = ScriptedModels.chat(ModelProvider.OPEN_AI, new TokenUsage(5, 7), listener);
    for (int i = 0; i < 1_000; i++) {
      model.chat(request("model-" + UUID.randomUUID()));
    }

    Scrape s = scrape();
    assertThat(s.labelValues("gen_ai_client_operation_duration_seconds_count", "model"))
        .hasSizeLessThanOrEqualTo(51)
        .contains("__overflow__");
    assertThat(s.labelValues("gen_ai_client_token_usage_count", "model"))
        .hasSizeLessThanOrEqualTo(51);
    assertThat(s.labelValues("model_uptime_24h_ratio", "model"))
        .hasSizeLessThanOrEqualTo(201)
        .contains("__overflow__");
    assertThat(s.value("gen_ai_client_operation_duration_seconds_count")).isEqualTo(1_000);
    assertThat(s.value("gen_ai_client_token_usage_sum", "token_type", "output")).isEqualTo(7_000);
    assertThat(s.value("provider_requests_total", "provider", "openai", "outcome", "ok"))
        .isEqualTo(1_000);
    assertThat(s.value("inferwatch_label_overflow_total")).isPositive();
    assertThat(s.value("inferwatch_internal_errors_total")).isZero();
  }

  @ParameterizedTest
  @CsvSource({
    "OPEN_AI, openai",
    "ANTHROPIC, anthropic",
    "AMAZON_BEDROCK, aws.bedrock",
    "GOOGLE_VERTEX_AI_GEMINI, gcp.vertex_ai",
    "MISTRAL_AI, mistral_ai",
    "OLLAMA, ollama",
    "OTHER, other"
  })
  void theProviderLabelIsLangChain4jsProviderInOpenTelemetrySpelling(
      ModelProvider provider, String label) {
    ScriptedModels.chat(provider, new TokenUsage(1, 1), listener).chat(request("m"));

    assertThat(scrape().labelValues("gen_ai_client_operation_duration_seconds_count", "provider"))
        .containsExactly(label);
    assertThat(scrape().labelValues("provider_requests_total", "provider")).containsExactly(label);
  }

  @Test
  void aModelThatNamesNoProviderIsOtherAndAFixedProviderOverridesLangChain4js() {
    ScriptedModels.chat(null, new TokenUsage(1, 1), listener).chat(request("m"));
    InferwatchChatModelListener groq =
        InferwatchChatModelListener.builder(iw).provider("groq").build();
    ScriptedModels.chat(ModelProvider.OPEN_AI, new TokenUsage(1, 1), groq).chat(request("m"));

    assertThat(scrape().labelValues("gen_ai_client_operation_duration_seconds_count", "provider"))
        .containsExactlyInAnyOrder("other", "groq");
    assertThatThrownBy(() -> InferwatchChatModelListener.builder(iw).provider(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("' '");
  }

  @Test
  void timedChunksIncludeThinkingAndAStreamWithoutTheWrapperRecordsAllButChunks() {
    AtomicReference<ChatResponse> done = new AtomicReference<>();
    ScriptedModels.streaming(4, new TokenUsage(3, 5), listener).chat(request("plain"), quiet(done));
    InferwatchChatModelListener.timeChunks(
            ScriptedModels.streaming(4, new TokenUsage(3, 5), listener))
        .chat(request("timed"), quiet(done));

    Scrape s = scrape();
    assertThat(s.value("gen_ai_client_operation_duration_seconds_count")).isEqualTo(2);
    assertThat(s.value("gen_ai_client_token_usage_sum", "token_type", "output")).isEqualTo(10);
    assertThat(
            s.value("gen_ai_client_operation_time_to_first_chunk_seconds_count", "model", "timed"))
        .isEqualTo(1);
    assertThat(
            s.value(
                "gen_ai_client_operation_time_per_output_chunk_seconds_count", "model", "timed"))
        .as("one thinking and four content chunks: four gaps")
        .isEqualTo(4);
    assertThat(
            s.value("gen_ai_client_operation_time_to_first_chunk_seconds_count", "model", "plain"))
        .isZero();
  }

  @Test
  void aHandlerThatThrowsOnCompletionLeavesOneSuccessfulCall() {
    StreamingChatModel model =
        InferwatchChatModelListener.timeChunks(
            ScriptedModels.streaming(2, new TokenUsage(3, 2), listener));
    AtomicReference<Throwable> told = new AtomicReference<>();
    model.chat(
        request("gpt-4o"),
        new StreamingChatResponseHandler() {
          @Override
          public void onCompleteResponse(ChatResponse response) {
            throw new IllegalStateException("the caller's own bug");
          }

          @Override
          public void onError(Throwable error) {
            told.set(error);
          }
        });

    assertThat(told.get()).hasMessage("the caller's own bug");
    Scrape s = scrape();
    assertThat(s.value("gen_ai_client_operation_duration_seconds_count")).isEqualTo(1);
    assertThat(s.value("gen_ai_client_operation_duration_seconds_count", "error_type", ""))
        .isEqualTo(1);
    assertThat(s.value("provider_requests_total", "outcome", "ok")).isEqualTo(1);
    assertThat(s.value("provider_requests_total", "outcome", "failed")).isZero();
  }

  @Test
  void aStreamTheCallerCancelsIsRecordedAsCancelledWithoutAProviderOutcome() {
    StreamingChatModel model =
        InferwatchChatModelListener.timeChunks(
            ScriptedModels.streaming(10, new TokenUsage(3, 10), listener));
    model.chat(
        request("gpt-4o"),
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            context.streamingHandle().cancel();
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {}

          @Override
          public void onError(Throwable error) {}
        });

    Scrape s = scrape();
    assertThat(s.value("gen_ai_client_operation_duration_seconds_count", "error_type", "cancelled"))
        .isEqualTo(1);
    assertThat(s.value("gen_ai_client_operation_time_to_first_chunk_seconds_count")).isEqualTo(1);
    assertThat(s.value("gen_ai_client_usage_missing_total")).isZero();
    assertThat(s.value("provider_requests_total")).isZero();
  }

  @Test
  void theListenerNeverThrowsIntoLangChain4j() {
    ChatRequest request = request("gpt-4o");
    Map<Object, Object> strange = new HashMap<>();
    strange.put(CallState.class, "not a call");
    ChatResponse answer = ScriptedModels.answer(request, new TokenUsage(1, 1));

    listener.onResponse(new ChatModelResponseContext(answer, request, null, new HashMap<>()));
    listener.onError(
        new ChatModelErrorContext(new RuntimeException(), request, null, new HashMap<>()));
    listener.onResponse(new ChatModelResponseContext(answer, request, null, strange));
    Map<Object, Object> attributes = new HashMap<>();
    listener.onRequest(new ChatModelRequestContext(request, null, attributes));
    listener.onResponse(
        new ChatModelResponseContext(
            ScriptedModels.answer(request, new ExplodingUsage()), request, null, attributes));

    Scrape s = scrape();
    assertThat(s.value("gen_ai_client_operation_duration_seconds_count")).isEqualTo(1);
    assertThat(s.value("gen_ai_client_token_usage_sum", "token_type", "input")).isEqualTo(2);
    assertThat(s.labelValues("gen_ai_client_token_usage_count", "token_type"))
        .containsExactlyInAnyOrder("input", "output");
  }

  @Test
  void timeChunksRefusesNullAndWrapsOnce() {
    StreamingChatModel model = ScriptedModels.streaming(1, null, listener);
    StreamingChatModel timed = InferwatchChatModelListener.timeChunks(model);

    assertThat(InferwatchChatModelListener.timeChunks(timed)).isSameAs(timed);
    assertThat(timed.provider()).isEqualTo(ModelProvider.OPEN_AI);
    assertThat(timed.listeners()).containsExactly(listener);
    assertThatThrownBy(() -> InferwatchChatModelListener.timeChunks(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A usage class in OpenAI's shape whose details accessor fails. */
  public static final class ExplodingUsage extends TokenUsage {
    ExplodingUsage() {
      super(2, 3);
    }

    /** Fails, as a broken provider module might. */
    public Details inputTokensDetails() {
      throw new IllegalStateException("broken");
    }
  }

  /** What {@link ExplodingUsage} would have returned. */
  public static final class Details {
    /** Never reached. */
    public Integer cachedTokens() {
      return 1;
    }
  }
}
