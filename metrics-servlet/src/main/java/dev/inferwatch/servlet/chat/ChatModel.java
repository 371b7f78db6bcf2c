package dev.inferwatch.servlet.chat;

/**
 * The model behind {@link ChatCompletionsServlet}: a blocking completion and a streaming one.
 *
 * <p>Implementations must be thread-safe. {@link #stream} may push to the sink from any thread,
 * before or after it returns; the servlet calls it on its own worker thread, never on a container
 * thread, so a model that generates synchronously is fine. Throw (or pass to {@link
 * ChatSink#error}) a {@link ChatModelException} to choose the HTTP status of a failure.
 *
 * <pre>{@code
 * ChatModel model = new MyVllmClient("llama-3-8b");        // or the testkit's FakeChatModel
 * ServletHolder chat = new ServletHolder(new ChatCompletionsServlet(iw, model));
 * ServletPaths.CHAT.forEach(path -> context.addServlet(chat, path));
 * }</pre>
 */
public interface ChatModel {

  /** The model id listed by {@code GET /v1/models} and echoed when a request names it. */
  String id();

  /** The {@code provider} label of this model's metrics, such as {@code local} or {@code vllm}. */
  default String provider() {
    return "local";
  }

  /** Whether the model can serve now; when false requests get 503. Must be fast. */
  default boolean ready() {
    return true;
  }

  /** Generates the whole answer; may block, and should stop when its thread is interrupted. */
  ChatCompletion complete(ChatRequest request) throws Exception;

  /** Streams the answer into {@code sink}, ending it with {@code complete} or {@code error}. */
  void stream(ChatRequest request, ChatSink sink);
}
