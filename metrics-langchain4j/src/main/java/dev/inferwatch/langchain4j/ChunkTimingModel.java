package dev.inferwatch.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link StreamingChatModel} that hands every call to its delegate with the caller's handler
 * wrapped in a {@link ChunkTimingHandler}.
 *
 * <p>LangChain4j (1.x) gives listeners {@code onRequest}, {@code onResponse} and {@code onError}
 * only; partial responses go to the caller's handler alone. The wrapped handler travels to the
 * listener as a listener attribute ({@link ChatRequestOptions}, LangChain4j 1.13 and later): the
 * model copies the attributes into the map its listeners see, the listener finds the handler there
 * in {@code onRequest} and hands it the call's state, and each chunk then marks that call.
 */
final class ChunkTimingModel implements StreamingChatModel {

  private final StreamingChatModel delegate;

  ChunkTimingModel(StreamingChatModel delegate) {
    this.delegate = delegate;
  }

  @Override
  public void chat(
      ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    ChunkTimingHandler timed = new ChunkTimingHandler(handler);
    Map<Object, Object> attributes = new LinkedHashMap<>();
    if (options != null) {
      attributes.putAll(options.listenerAttributes());
    }
    attributes.put(ChunkTimingHandler.class, timed);
    delegate.chat(
        request, ChatRequestOptions.builder().listenerAttributes(attributes).build(), timed);
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    delegate.doChat(request, handler);
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return delegate.listeners();
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  @Override
  public String toString() {
    return "ChunkTimingModel[" + delegate + "]";
  }
}
