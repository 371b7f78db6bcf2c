package dev.inferwatch.core;

/**
 * Times one outbound call to a generation provider, streaming or not, and records its duration,
 * error and token usage into {@code gen_ai_client_*} when closed.
 *
 * <p>Usage that the provider never reported stays absent: the call is counted in {@code
 * gen_ai_client_usage_missing_total} and no token observation is made, so a stream that lost its
 * final usage chunk cannot pass for a zero-token call. One thread drives a call.
 *
 * <pre>{@code
 * try (LlmCall call = iw.llm().call("openai", "gpt-4o", "chat")) {
 *   for (Chunk chunk : client.stream(request)) {
 *     call.firstToken();
 *     if (chunk.usage() != null) {
 *       call.usage(chunk.usage().promptTokens(), chunk.usage().completionTokens());
 *     }
 *   }
 * } catch (IOException e) { ... } // failed(e) before close records error_type
 * }</pre>
 */
public final class LlmCall implements AutoCloseable {

  static final LlmCall NOOP = new LlmCall(null, 0);

  private final LlmClientSeries series;
  private final long startNanos;
  private long firstTokenNanos = -1;
  private long inputTokens = -1;
  private long outputTokens = -1;
  private String errorType;
  private boolean closed;

  LlmCall(LlmClientSeries series, long startNanos) {
    this.series = series;
    this.startNanos = startNanos;
  }

  /** Marks the first token or chunk received; later calls keep the first time. */
  public LlmCall firstToken() {
    if (firstTokenNanos < 0) {
      firstTokenNanos = System.nanoTime();
    }
    return this;
  }

  /** The usage the provider reported; negative counts are absent. */
  public LlmCall usage(long inputTokens, long outputTokens) {
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    return this;
  }

  /** Marks the call failed with {@code errorType}, such as {@code timeout} or {@code 429}. */
  public LlmCall failed(String errorType) {
    this.errorType = errorType == null ? "error" : errorType;
    return this;
  }

  /** Marks the call failed with {@code failure}; its simple class name is the error type. */
  public LlmCall failed(Throwable failure) {
    return failed(failure == null ? null : failure.getClass().getSimpleName());
  }

  /** Time from start to {@link #firstToken()} in nanoseconds, or -1 when none was marked. */
  public long timeToFirstTokenNanos() {
    return firstTokenNanos < 0 ? -1 : firstTokenNanos - startNanos;
  }

  /** Records the call; only the first close counts. */
  @Override
  public void close() {
    if (series == null || closed) {
      return;
    }
    closed = true;
    try {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      if (errorType != null) {
        series.failedDuration(errorType).observe(seconds);
      } else {
        series.duration.observe(seconds);
      }
      if (inputTokens >= 0) {
        series.inputTokens.observe(inputTokens);
      }
      if (outputTokens >= 0) {
        series.outputTokens.observe(outputTokens);
      }
      if (errorType == null && inputTokens < 0 && outputTokens < 0) {
        series.usageMissing.inc();
      }
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.call.close", e);
    }
  }
}
