package dev.inferwatch.servlet.chat;

/**
 * Token usage of one completion, as a model reports it: prompt and completion tokens, and, when the
 * model knows them, the cached part of the prompt ({@code prompt_tokens_details.cached_tokens}) and
 * the reasoning part of the completion ({@code completion_tokens_details.reasoning_tokens}); a
 * negative count is not reported. The servlet passes the details through in its own {@code usage}
 * and records them as {@code token_type} {@code cache_read} and {@code reasoning}.
 *
 * <pre>{@code
 * sink.complete(FinishReason.STOP, new ChatUsage(promptTokens, sentTokens));
 * sink.complete(FinishReason.STOP, new ChatUsage(1200, 380, 1024, 256)); // cached, reasoning
 * }</pre>
 *
 * @param promptTokens tokens in the prompt
 * @param completionTokens tokens generated
 * @param cachedTokens prompt tokens served from the prompt cache, or -1 when not reported
 * @param reasoningTokens completion tokens spent on reasoning, or -1 when not reported
 */
public record ChatUsage(
    int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens) {

  /** Usage without cached or reasoning details. */
  public ChatUsage(int promptTokens, int completionTokens) {
    this(promptTokens, completionTokens, -1, -1);
  }

  /** Prompt plus completion tokens. */
  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
