package dev.inferwatch.core.llm;

/**
 * Records one served generation request: queue time, time to first token, inter-token gaps, time
 * per output token, duration, token usage and how it ended.
 *
 * <p>The request starts when {@link LlmMetrics#serve} is called (its arrival). A server with a
 * bounded set of workers calls {@link #queued()} when the request has to wait and {@link
 * #running()} when a worker takes it: the request counts in {@code gen_ai_server_requests_waiting}
 * and then {@code _running} until it ends, and the wait is observed as its queue time. A request
 * never marked running counts in neither gauge.
 *
 * <p>{@link #token()} is the hot path: a {@code nanoTime()}, a subtraction and one histogram
 * observation, with no allocation. Tokens come from one producer at a time. Exactly one of {@link
 * #finish}, {@link #fail} and {@link #disconnect} counts; later calls are ignored, so racing
 * outcomes (a model error and a client disconnect) are recorded once. Time to first token and time
 * per output token describe successful responses only (OpenTelemetry's definition): they are
 * observed by {@link #finish} with a successful reason. No method throws.
 *
 * <pre>{@code
 * LlmRecorder r = iw.llm().serve("local", "llama-3-8b", LlmMetrics.CHAT, true);
 * r.running();
 * for (String token : tokens) {
 *   send(token);
 *   r.token();
 * }
 * r.finish(FinishReason.STOP, 12, tokens.size());
 * }</pre>
 */
public sealed interface LlmRecorder permits ServedRequestRecorder, NoopLlmRecorder {

  /** Marks the request as waiting for a worker; ignored once it runs or ended. */
  void queued();

  /**
   * Marks the request as taken by a worker: its queue time (from arrival) is observed and it counts
   * as running until it ends; ignored when called again or after the end.
   */
  void running();

  /** Records the {@code max_tokens} the request asked for, when it gave one. */
  void maxTokens(long maxTokens);

  /** Marks one generated token (or chunk) as sent; the first one fixes the time to first token. */
  void token();

  /**
   * Records a request that ended normally. Negative token counts mean the usage is unknown and are
   * not recorded (absent, never 0); without a usage count the chunks seen by {@link #token()} stand
   * for the output.
   */
  default void finish(FinishReason reason, long inputTokens, long outputTokens) {
    finish(reason, inputTokens, outputTokens, -1, -1);
  }

  /**
   * Records a request that ended normally, with the cached part of its input ({@code cache_read})
   * and the reasoning part of its output ({@code reasoning}) when the model reports them; negative
   * counts are absent. Time per output token divides by {@code outputTokens} when known, else by
   * the chunk count.
   */
  void finish(
      FinishReason reason,
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long reasoningTokens);

  /**
   * Records a request that failed ({@code errorType} such as {@code timeout} or an exception's
   * simple name): duration with {@code error_type}, and {@code finish_reason="error"}.
   */
  void fail(String errorType);

  /**
   * Records a failed request as {@link #fail(String)} does and journals it as {@code llm_failed}
   * with {@code message}, which becomes the model's last error.
   */
  void fail(String errorType, String message);

  /**
   * Records a request whose client went away (or that was cancelled): a stream disconnect for a
   * stream, {@code finish_reason="abort"} and the duration with {@code error_type="abort"}.
   */
  void disconnect();

  /** Tokens (chunks) marked so far. */
  int tokens();

  /** Time from start to the first token in nanoseconds, or -1 before the first token. */
  long timeToFirstTokenNanos();
}
