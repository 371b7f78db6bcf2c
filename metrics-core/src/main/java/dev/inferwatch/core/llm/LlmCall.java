package dev.inferwatch.core.llm;

/**
 * Times one outbound call to a generation provider, streaming or not, and records its duration,
 * error and token usage into {@code gen_ai_client_*} when closed.
 *
 * <p>Usage that the provider never reported stays absent: the call is counted in {@code
 * gen_ai_client_usage_missing_total} and no token observation is made, so a stream that lost its
 * final usage chunk cannot pass for a zero-token call. One thread drives a call; no method throws.
 *
 * <pre>{@code
 * try (LlmCall call = iw.llm().call("openai", "gpt-4o", LlmMetrics.CHAT)) {
 *   for (Chunk chunk : client.stream(request)) {
 *     call.firstToken();
 *     if (chunk.usage() != null) {
 *       call.usage(chunk.usage().promptTokens(), chunk.usage().completionTokens());
 *     }
 *   }
 * } catch (IOException e) { ... } // failed(e) before close records error_type
 * }</pre>
 */
public sealed interface LlmCall extends AutoCloseable permits TimedLlmCall, NoopLlmCall {

  /** Marks the first token or chunk received; later calls keep the first time. */
  LlmCall firstToken();

  /** The usage the provider reported; negative counts are absent. */
  LlmCall usage(long inputTokens, long outputTokens);

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
