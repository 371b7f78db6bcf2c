package dev.inferwatch.servlet;

import java.util.List;

/**
 * A validated chat completion request, free of servlet and JSON types.
 *
 * <p>{@code maxTokens} and {@code temperature} are {@code null} when the client did not send them;
 * {@code stop} is empty when absent.
 *
 * <pre>{@code
 * ChatRequest request = new ChatRequest("fake-model",
 *     List.of(new ChatMessage("user", "hello")), 16, null, false, List.of(), null);
 * }</pre>
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    Integer maxTokens,
    Double temperature,
    boolean stream,
    List<String> stop,
    String user) {

  /** Copies the lists so the request stays immutable. */
  public ChatRequest {
    messages = List.copyOf(messages);
    stop = stop == null ? List.of() : List.copyOf(stop);
  }
}
