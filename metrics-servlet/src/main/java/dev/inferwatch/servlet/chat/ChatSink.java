package dev.inferwatch.servlet.chat;

import dev.inferwatch.core.llm.FinishReason;

/**
 * Where a streaming {@link ChatModel} pushes its output; the servlet turns it into SSE chunks.
 *
 * <p>Call {@link #delta} once per token or chunk, then exactly one of {@link #complete} or {@link
 * #error}. Calls may come from any thread, one at a time. After the client went away {@link
 * #cancelled()} is true, callbacks registered through {@link #onCancel} have run, and further calls
 * are ignored: stop generating.
 *
 * <pre>{@code
 * sink.onCancel(generation::cancel);
 * for (String token : tokens) {
 *   if (sink.cancelled()) return;
 *   sink.delta(token);
 * }
 * sink.complete(FinishReason.STOP, new ChatUsage(promptTokens, tokens.size()));
 * }</pre>
 */
public interface ChatSink {

  /** Sends one piece of generated text to the client. */
  void delta(String text);

  /** Ends the stream normally; {@code usage} may be {@code null} when the model cannot count. */
  void complete(FinishReason finishReason, ChatUsage usage);

  /**
   * Ends the stream with a failure: before the first token the client gets an HTTP error (a {@link
   * ChatModelException} chooses the status), afterwards an error chunk and {@code [DONE]}.
   */
  void error(Throwable failure);

  /** Whether the stream was cut (client gone, timeout, shutdown) and generation should stop. */
  boolean cancelled();

  /** Runs {@code callback} once when the stream is cut, at once if it already was. */
  void onCancel(Runnable callback);
}
