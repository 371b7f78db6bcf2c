package dev.inferwatch.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;

/**
 * In-process LangChain4j models for the cases a real provider cannot be made to produce on demand:
 * answers without usage, model names that change per request, handlers that throw or cancel. They
 * go through LangChain4j's own {@code chat} methods, so listeners are called as by any model.
 */
final class ScriptedModels {

  private ScriptedModels() {}

  /** An answer of {@code text} for the requested model, with {@code usage} (null: none). */
  static ChatResponse answer(ChatRequest request, TokenUsage usage) {
    return ChatResponse.builder()
        .aiMessage(AiMessage.from("answer"))
        .modelName(request.modelName())
        .tokenUsage(usage)
        .build();
  }

  /** A blocking model answering with {@code usage} (null: none). */
  static ChatModel chat(ModelProvider provider, TokenUsage usage, ChatModelListener listener) {
    return new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        return answer(request, usage);
      }

      @Override
      public List<ChatModelListener> listeners() {
        return List.of(listener);
      }

      @Override
      public ModelProvider provider() {
        return provider;
      }
    };
  }

  /**
   * A streaming model that sends one thinking chunk and {@code chunks} content chunks on the
   * caller's thread, stops when the handler cancels, and ends with {@code usage} (null: none). As
   * LangChain4j's own models do, a handler that throws on completion is told through {@code
   * onError}.
   */
  static StreamingChatModel streaming(int chunks, TokenUsage usage, ChatModelListener listener) {
    return new StreamingChatModel() {
      @Override
      public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        Handle handle = new Handle();
        handler.onPartialThinking(new PartialThinking("hmm"), new PartialThinkingContext(handle));
        for (int i = 0; i < chunks; i++) {
          if (handle.cancelled) {
            return;
          }
          handler.onPartialResponse(
              new PartialResponse("word "), new PartialResponseContext(handle));
        }
        if (handle.cancelled) {
          return;
        }
        try {
          handler.onCompleteResponse(answer(request, usage));
        } catch (RuntimeException e) {
          handler.onError(e);
        }
      }

      @Override
      public List<ChatModelListener> listeners() {
        return List.of(listener);
      }

      @Override
      public ModelProvider provider() {
        return ModelProvider.OPEN_AI;
      }
    };
  }

  private static final class Handle implements StreamingHandle {
    volatile boolean cancelled;

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }
  }
}
