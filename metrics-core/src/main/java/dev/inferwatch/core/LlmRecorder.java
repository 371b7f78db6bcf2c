package dev.inferwatch.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records one served generation request: time to first token, inter-token gaps, time per output
 * token, duration, token usage and how it ended.
 *
 * <p>{@link #token()} is the hot path: after the series of its (operation, provider, model) tuple
 * is bound it is a {@code nanoTime()}, a subtraction and one histogram observation, with no
 * allocation. Tokens come from one producer at a time. Exactly one of {@link #finish}, {@link
 * #fail} and {@link #disconnect} counts; later calls are ignored, so racing outcomes (a model error
 * and a client disconnect) are recorded once.
 *
 * <pre>{@code
 * LlmRecorder r = iw.llm().serve("chat", "local", "llama-3-8b", true);
 * for (String token : tokens) {
 *   send(token);
 *   r.token();
 * }
 * r.finish(FinishReason.STOP, 12, tokens.size());
 * }</pre>
 */
public final class LlmRecorder {

  // A multiply is a few cycles cheaper than a divide on the per-token path.
  private static final double NANOS_TO_SECONDS = 1e-9;

  static final LlmRecorder NOOP = new LlmRecorder(null, false, 0);

  private final LlmServerSeries series;
  private final boolean streaming;
  private final long startNanos;
  private final AtomicBoolean ended = new AtomicBoolean();
  private long firstTokenNanos;
  private long lastTokenNanos;
  private int tokens;

  LlmRecorder(LlmServerSeries series, boolean streaming, long startNanos) {
    this.series = series;
    this.streaming = streaming;
    this.startNanos = startNanos;
    if (series != null && streaming) {
      series.streamsActive.inc();
    }
  }

  /** Marks one generated token (or chunk) as sent; the first one fixes the time to first token. */
  public void token() {
    if (series == null) {
      return;
    }
    try {
      long now = System.nanoTime();
      if (tokens == 0) {
        firstTokenNanos = now;
        series.timeToFirstToken.observe((now - startNanos) * NANOS_TO_SECONDS);
      } else {
        series.interTokenLatency.observe((now - lastTokenNanos) * NANOS_TO_SECONDS);
      }
      lastTokenNanos = now;
      tokens++;
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.token", e);
    }
  }

  /**
   * Records a request that ended normally. Negative token counts mean the usage is unknown and are
   * not recorded (absent, never 0); without a usage count the tokens seen by {@link #token()} stand
   * for the output.
   */
  public void finish(FinishReason reason, long inputTokens, long outputTokens) {
    if (!end()) {
      return;
    }
    try {
      long now = System.nanoTime();
      series.duration.observe((now - startNanos) * NANOS_TO_SECONDS);
      series.requests(reason == null ? FinishReason.STOP : reason).inc();
      if (inputTokens >= 0) {
        series.inputTokens.observe(inputTokens);
      }
      long output = outputTokens >= 0 ? outputTokens : tokens;
      if (outputTokens >= 0 || tokens > 0) {
        series.outputTokens.observe(output);
      }
      if (tokens > 1) {
        series.timePerOutputToken.observe((now - firstTokenNanos) / 1e9 / (tokens - 1));
      }
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.finish", e);
    }
  }

  /**
   * Records a request that failed ({@code errorType} such as {@code timeout} or an exception's
   * simple name): duration with {@code error_type}, and {@code finish_reason="error"}.
   */
  public void fail(String errorType) {
    fail(errorType, null);
  }

  /**
   * Records a failed request as {@link #fail(String)} does and journals it as {@code llm_failed}
   * with {@code message}, which becomes the model's last error.
   */
  public void fail(String errorType, String message) {
    if (!end()) {
      return;
    }
    try {
      series.failedDuration(errorType).observe((System.nanoTime() - startNanos) / 1e9);
      series.requests(FinishReason.ERROR).inc();
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.fail", e);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("operation", series.operation);
    fields.put("provider", series.provider);
    fields.put("error_type", errorType);
    fields.put("tokens", tokens);
    series.metrics.events.emit(
        EventType.LLM_FAILED,
        series.model,
        message == null ? errorType : errorType + ": " + message,
        fields);
  }

  /**
   * Records a request whose client went away: a stream disconnect, {@code
   * finish_reason="cancelled"} and the duration with {@code error_type="cancelled"}.
   */
  public void disconnect() {
    if (!end()) {
      return;
    }
    try {
      series.disconnects.inc();
      series
          .failedDuration(FinishReason.CANCELLED.label())
          .observe((System.nanoTime() - startNanos) / 1e9);
      series.requests(FinishReason.CANCELLED).inc();
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.disconnect", e);
    }
  }

  /** Tokens marked so far. */
  public int tokens() {
    return tokens;
  }

  /** Time from start to the first token in nanoseconds, or -1 before the first token. */
  public long timeToFirstTokenNanos() {
    return tokens == 0 ? -1 : firstTokenNanos - startNanos;
  }

  private boolean end() {
    if (series == null || !ended.compareAndSet(false, true)) {
      return false;
    }
    if (streaming) {
      try {
        series.streamsActive.dec();
      } catch (RuntimeException e) {
        series.metrics.internalErrors.record("llm.end", e);
      }
    }
    return true;
  }
}
