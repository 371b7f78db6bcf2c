package dev.inferwatch.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

/**
 * The caller's handler with each partial response (content, thinking, tool-call arguments) marked
 * as a chunk of the call the listener {@link #watch watches}, before it is passed on. Marking
 * allocates nothing; the caller's handler sees every callback as the model sent it, exceptions
 * included.
 */
final class ChunkTimingHandler implements StreamingChatResponseHandler {

  private final StreamingChatResponseHandler delegate;
  private volatile CallState state;

  ChunkTimingHandler(StreamingChatResponseHandler delegate) {
    this.delegate = delegate;
  }

  /** Called by the listener in {@code onRequest}: chunks from now on belong to {@code call}. */
  void watch(CallState call) {
    this.state = call;
  }

  private void chunk() {
    CallState s = state;
    if (s != null) {
      s.chunk();
    }
  }

  private void afterChunk(StreamingHandle handle) {
    CallState s = state;
    if (s != null && handle != null && handle.isCancelled()) {
      s.cancelled();
    }
  }

  @Override
  public void onPartialResponse(String partialResponse) {
    chunk();
    delegate.onPartialResponse(partialResponse);
  }

  @Override
  public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
    chunk();
    delegate.onPartialResponse(partialResponse, context);
    afterChunk(context == null ? null : context.streamingHandle());
  }

  @Override
  public void onPartialThinking(PartialThinking partialThinking) {
    chunk();
    delegate.onPartialThinking(partialThinking);
  }

  @Override
  public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
    chunk();
    delegate.onPartialThinking(partialThinking, context);
    afterChunk(context == null ? null : context.streamingHandle());
  }

  @Override
  public void onPartialToolCall(PartialToolCall partialToolCall) {
    chunk();
    delegate.onPartialToolCall(partialToolCall);
  }

  @Override
  public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
    chunk();
    delegate.onPartialToolCall(partialToolCall, context);
    afterChunk(context == null ? null : context.streamingHandle());
  }

  @Override
  public void onCompleteToolCall(CompleteToolCall completeToolCall) {
    delegate.onCompleteToolCall(completeToolCall);
  }

  @Override
  public void onUnmappedRawEvent(Object rawEvent) {
    delegate.onUnmappedRawEvent(rawEvent);
  }

  @Override
  public void onCompleteResponse(ChatResponse completeResponse) {
    delegate.onCompleteResponse(completeResponse);
  }

  @Override
  public void onError(Throwable error) {
    delegate.onError(error);
  }
}
