package dev.inferwatch.core.llm;

/** The {@link LlmCall} of one outbound call, over the bound client series of its tuple. */
final class TimedLlmCall implements LlmCall {

  private final LlmClientSeries series;
  private final long startNanos;
  private long firstTokenNanos = -1;
  private long inputTokens = -1;
  private long outputTokens = -1;
  private String errorType;
  private boolean closed;

  TimedLlmCall(LlmClientSeries series, long startNanos) {
    this.series = series;
    this.startNanos = startNanos;
  }

  @Override
  public LlmCall firstToken() {
    if (firstTokenNanos < 0) {
      firstTokenNanos = System.nanoTime();
    }
    return this;
  }

  @Override
  public LlmCall usage(long inputTokens, long outputTokens) {
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    return this;
  }

  @Override
  public LlmCall failed(String errorType) {
    this.errorType = errorType == null ? "error" : errorType;
    return this;
  }

  @Override
  public long timeToFirstTokenNanos() {
    return firstTokenNanos < 0 ? -1 : firstTokenNanos - startNanos;
  }

  @Override
  public void close() {
    if (closed) {
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
