package dev.inferwatch.core.llm;

/** The recorder handed out when recording could not start: every call does nothing. */
final class NoopLlmRecorder implements LlmRecorder {

  static final NoopLlmRecorder INSTANCE = new NoopLlmRecorder();

  private NoopLlmRecorder() {}

  @Override
  public void queued() {}

  @Override
  public void running() {}

  @Override
  public void maxTokens(long maxTokens) {}

  @Override
  public void token() {}

  @Override
  public void finish(
      FinishReason reason,
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long reasoningTokens) {}

  @Override
  public void fail(String errorType) {}

  @Override
  public void fail(String errorType, String message) {}

  @Override
  public void disconnect() {}

  @Override
  public int tokens() {
    return 0;
  }

  @Override
  public long timeToFirstTokenNanos() {
    return -1;
  }
}
