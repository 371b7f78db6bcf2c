package dev.inferwatch.core.llm;

/**
 * Times one outbound call to a generation provider, streaming or not, and records its duration,
 * error, chunk timing and token usage into {@code gen_ai_client_*}.
 *
 * <p>For a stream, call {@link #chunk()} once per chunk received: the first one is observed as the
 * time to first chunk, each later one as the time since the chunk before it (OpenTelemetry's {@code
 * gen_ai.client.operation.time_to_first_chunk} and {@code time_per_output_chunk}). Usage that the
 * provider never reported stays absent: the call is counted in {@code
 * gen_ai_client_usage_missing_total} and no token observation is made, so a stream that lost its
 * final usage chunk cannot pass for a zero-token call. One thread drives a call; no method throws.
 *
 * <pre>{@code
 * try (LlmCall call = iw.llm().call("openai", "gpt-4o", LlmMetrics.CHAT)) {
 *   for (Chunk chunk : client.stream(request)) {
 *     call.chunk();
 *     if (chunk.usage() != null) {
 *       Usage u = chunk.usage();
 *       call.usage(u.promptTokens(), u.completionTokens(), u.cachedTokens(), u.reasoningTokens());
 *     }
 *   }
 * } catch (IOException e) { ... } // failed(e) before close records error_type
 * }</pre>
 */
public sealed interface LlmCall extends AutoCloseable permits TimedLlmCall, NoopLlmCall {

  /**
   * Marks the first chunk received and observes the time to first chunk; later calls keep the first
   * time and observe nothing.
   */
  LlmCall firstToken();

  /** Marks one chunk received: the first fixes the time to first chunk, later ones their gap. */
  LlmCall chunk();

  /** The usage the provider reported; negative counts are absent. */
  default LlmCall usage(long inputTokens, long outputTokens) {
    return usage(inputTokens, outputTokens, -1, -1);
  }

  /**
   * The usage the provider reported, with the cached part of the input ({@code
   * prompt_tokens_details.cached_tokens}) and the reasoning part of the output ({@code
   * completion_tokens_details.reasoning_tokens}); negative counts are absent.
   */
  LlmCall usage(long inputTokens, long outputTokens, long cacheReadTokens, long reasoningTokens);

  /** Marks the call failed with {@code errorType}, such as {@code timeout} or {@code 429}. */
  LlmCall failed(String errorType);

  /** Marks the call failed with {@code failure}; its simple class name is the error type. */
  default LlmCall failed(Throwable failure) {
    return failed(failure == null ? null : failure.getClass().getSimpleName());
  }

  /** Time from start to {@link #firstToken()} in nanoseconds, or -1 when none was marked. */
  long timeToFirstTokenNanos();

  /** Records the call; only the first close counts. */
  @Override
  void close();
}
