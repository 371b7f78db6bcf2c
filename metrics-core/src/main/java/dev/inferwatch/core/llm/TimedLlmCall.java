package dev.inferwatch.core.llm;

/** The {@link LlmCall} of one outbound call, over the bound client series of its tuple. */
final class TimedLlmCall implements LlmCall {

  private static final double NANOS_TO_SECONDS = 1e-9;

  private final LlmClientSeries series;
  private final long startNanos;
  private long firstChunkNanos = -1;
  private long lastChunkNanos;
  private long inputTokens = -1;
  private long outputTokens = -1;
  private long cacheReadTokens = -1;
  private long reasoningTokens = -1;
  private String errorType;
  private boolean closed;

  TimedLlmCall(LlmClientSeries series, long startNanos) {
    this.series = series;
    this.startNanos = startNanos;
  }

  @Override
  public LlmCall firstToken() {
    if (firstChunkNanos < 0) {
      chunk();
    }
    return this;
  }

  @Override
  public LlmCall chunk() {
    try {
      long now = System.nanoTime();
      if (firstChunkNanos < 0) {
        firstChunkNanos = now;
        series.timeToFirstChunk.observe((now - startNanos) * NANOS_TO_SECONDS);
      } else {
        series.timePerOutputChunk.observe((now - lastChunkNanos) * NANOS_TO_SECONDS);
      }
      lastChunkNanos = now;
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.call.chunk", e);
    }
    return this;
  }

  @Override
  public LlmCall usage(
      long inputTokens, long outputTokens, long cacheReadTokens, long reasoningTokens) {
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.cacheReadTokens = cacheReadTokens;
    this.reasoningTokens = reasoningTokens;
    return this;
  }

  @Override
  public LlmCall failed(String errorType) {
    this.errorType = errorType == null ? "error" : errorType;
    return this;
  }

  @Override
  public long timeToFirstTokenNanos() {
    return firstChunkNanos < 0 ? -1 : firstChunkNanos - startNanos;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      double seconds = (System.nanoTime() - startNanos) * NANOS_TO_SECONDS;
      if (errorType != null) {
        series.failedDuration(errorType).observe(seconds);
      } else {
        series.duration.observe(seconds);
      }
      series.tokens.observe(inputTokens, outputTokens, cacheReadTokens, reasoningTokens);
      if (errorType == null && inputTokens < 0 && outputTokens < 0) {
        series.usageMissing.inc();
      }
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.call.close", e);
    }
  }
}
