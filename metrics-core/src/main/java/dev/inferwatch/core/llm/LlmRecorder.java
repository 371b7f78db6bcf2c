package dev.inferwatch.core.llm;

/**
 * Records one served generation request: time to first token, inter-token gaps, time per output
 * token, duration, token usage and how it ended.
 *
 * <p>{@link #token()} is the hot path: a {@code nanoTime()}, a subtraction and one histogram
 * observation, with no allocation. Tokens come from one producer at a time. Exactly one of {@link
 * #finish}, {@link #fail} and {@link #disconnect} counts; later calls are ignored, so racing
 * outcomes (a model error and a client disconnect) are recorded once. No method throws.
 *
 * <pre>{@code
 * LlmRecorder r = iw.llm().serve("local", "llama-3-8b", LlmMetrics.CHAT, true);
 * for (String token : tokens) {
 *   send(token);
 *   r.token();
 * }
 * r.finish(FinishReason.STOP, 12, tokens.size());
 * }</pre>
 */
public sealed interface LlmRecorder permits ServedRequestRecorder, NoopLlmRecorder {

  /** Marks one generated token (or chunk) as sent; the first one fixes the time to first token. */
  void token();

  /**
   * Records a request that ended normally. Negative token counts mean the usage is unknown and are
   * not recorded (absent, never 0); without a usage count the tokens seen by {@link #token()} stand
   * for the output.
   */
  void finish(FinishReason reason, long inputTokens, long outputTokens);

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
   * Records a request whose client went away: a stream disconnect, {@code
   * finish_reason="cancelled"} and the duration with {@code error_type="cancelled"}.
   */
  void disconnect();

  /** Tokens marked so far. */
  int tokens();

  /** Time from start to the first token in nanoseconds, or -1 before the first token. */
  long timeToFirstTokenNanos();
}
