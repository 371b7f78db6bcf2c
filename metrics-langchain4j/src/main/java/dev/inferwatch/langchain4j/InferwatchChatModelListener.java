package dev.inferwatch.langchain4j;

import dev.inferwatch.core.Inferwatch;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import java.util.Map;

/**
 * Records every call of a LangChain4j chat model: {@code gen_ai_client_operation_duration_seconds}
 * (with {@code error_type} on failure), {@code gen_ai_client_token_usage} ({@code input}, {@code
 * output}, and {@code cache_read} / {@code reasoning} where the model's token usage reports them),
 * {@code gen_ai_client_usage_missing_total} for an answer without usage, and the provider outcome
 * with its last error through {@code iw.providers()}. Attach it where the model is built; call
 * sites stay as they are.
 *
 * <pre>{@code
 * InferwatchChatModelListener listener = InferwatchChatModelListener.of(iw);
 * ChatModel model = OpenAiChatModel.builder().apiKey(key).modelName("gpt-4o")
 *     .listeners(List.of(listener)).build();
 * StreamingChatModel streaming = InferwatchChatModelListener.timeChunks(
 *     OpenAiStreamingChatModel.builder().apiKey(key).modelName("gpt-4o")
 *         .listeners(List.of(listener)).build());
 * }</pre>
 *
 * <p>The {@code provider} label is LangChain4j's model provider in OpenTelemetry's spelling ({@code
 * openai}, {@code anthropic}, {@code aws.bedrock}…) unless {@link Builder#provider} fixes it; the
 * {@code model} label is the requested model name. Both pass the kit's cardinality guards, and a
 * model the provider answers 404 for is recorded as {@code unknown}, so a mistyped or hostile model
 * name never takes a label slot. LangChain4j's listener API has no per-chunk callback: the time to
 * first chunk and per chunk of streaming models are recorded when the model is wrapped by {@link
 * #timeChunks}. Nothing here throws into LangChain4j: failures are counted in {@code
 * inferwatch_internal_errors_total{operation="langchain4j.*"}}.
 */
public final class InferwatchChatModelListener implements ChatModelListener {

  private final Inferwatch iw;
  private final String provider;

  private InferwatchChatModelListener(Builder builder) {
    this.iw = builder.iw;
    this.provider = builder.provider;
  }

  /** A listener recording into {@code iw}, with the provider label taken from LangChain4j. */
  public static InferwatchChatModelListener of(Inferwatch iw) {
    return builder(iw).build();
  }

  /** A builder for a listener recording into {@code iw}. */
  public static Builder builder(Inferwatch iw) {
    return new Builder(iw);
  }

  /**
   * {@code model} with its streamed chunks timed into {@code
   * gen_ai_client_operation_time_to_first_chunk_seconds} and {@code _time_per_output_chunk_seconds}
   * (content, thinking and tool-call chunks alike) by the listener attached to {@code model}; a
   * stream the caller cancels is recorded with {@code error_type="cancelled"}. Everything else the
   * wrapper hands to {@code model} unchanged. The per-chunk cost is one field read and the
   * recorder's own observation.
   */
  public static StreamingChatModel timeChunks(StreamingChatModel model) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    return model instanceof ChunkTimingModel ? model : new ChunkTimingModel(model);
  }

  /** Starts the call: its start time, labels and provider call go into the attributes. */
  @Override
  public void onRequest(ChatModelRequestContext context) {
    try {
      long start = System.nanoTime();
      String p = provider != null ? provider : ProviderNames.of(context.modelProvider());
      CallState state =
          new CallState(
              iw, start, p, context.chatRequest().modelName(), iw.providers().startCall(p));
      Map<Object, Object> attributes = context.attributes();
      attributes.put(CallState.class, state);
      if (attributes.get(ChunkTimingHandler.class) instanceof ChunkTimingHandler chunks) {
        chunks.watch(state);
      }
    } catch (RuntimeException e) {
      iw.internalErrors().record("langchain4j.request", e);
    }
  }

  /** Records the answered call: duration, usage (or usage missing), provider outcome ok. */
  @Override
  public void onResponse(ChatModelResponseContext context) {
    try {
      if (context.attributes().get(CallState.class) instanceof CallState state) {
        state.succeeded(context.chatResponse());
      }
    } catch (RuntimeException e) {
      iw.internalErrors().record("langchain4j.response", e);
    }
  }

  /** Records the failed call: duration with {@code error_type}, the provider's last error. */
  @Override
  public void onError(ChatModelErrorContext context) {
    try {
      if (context.attributes().get(CallState.class) instanceof CallState state) {
        state.failed(context.error());
      }
    } catch (RuntimeException e) {
      iw.internalErrors().record("langchain4j.error", e);
    }
  }

  /** Settings of a listener. */
  public static final class Builder {

    private final Inferwatch iw;
    private String provider;

    private Builder(Inferwatch iw) {
      if (iw == null) {
        throw new IllegalArgumentException("iw must not be null");
      }
      this.iw = iw;
    }

    /**
     * Fixes the {@code provider} label, for an OpenAI-compatible endpoint of another vendor (an
     * {@code OpenAiChatModel} pointed at Groq reports {@code OPEN_AI}); null or empty is refused.
     */
    public Builder provider(String provider) {
      if (provider == null || provider.isBlank()) {
        throw new IllegalArgumentException("provider must not be blank, got '" + provider + "'");
      }
      this.provider = provider;
      return this;
    }

    /** The listener. */
    public InferwatchChatModelListener build() {
      return new InferwatchChatModelListener(this);
    }
  }
}
