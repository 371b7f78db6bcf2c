package dev.inferwatch.core.llm;

/** The call handed out when timing could not start: every call does nothing. */
final class NoopLlmCall implements LlmCall {

  static final NoopLlmCall INSTANCE = new NoopLlmCall();

  private NoopLlmCall() {}

  @Override
  public LlmCall firstToken() {
    return this;
  }

  @Override
  public LlmCall chunk() {
    return this;
  }

  @Override
  public LlmCall usage(
      long inputTokens, long outputTokens, long cacheReadTokens, long reasoningTokens) {
    return this;
  }

  @Override
  public LlmCall failed(String errorType) {
    return this;
  }

  @Override
  public long timeToFirstTokenNanos() {
    return -1;
  }

  @Override
  public void close() {}
}
