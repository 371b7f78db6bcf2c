package dev.inferwatch.servlet.chat;

/**
 * Token usage of one completion, as a model reports it.
 *
 * <pre>{@code
 * sink.complete(FinishReason.STOP, new ChatUsage(promptTokens, sentTokens));
 * }</pre>
 */
public record ChatUsage(int promptTokens, int completionTokens) {

  /** Prompt plus completion tokens. */
  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
