package dev.inferwatch.core.llm;

/**
 * How a served generation ended: the {@code finish_reason} label of {@code
 * gen_ai_server_requests_total}, and the OpenAI wire value for the first two.
 *
 * <pre>{@code
 * recorder.finish(FinishReason.LENGTH, promptTokens, completionTokens);
 * }</pre>
 */
public enum FinishReason {
  /** The model stopped on its own or on a stop sequence. */
  STOP("stop"),
  /** The token limit ({@code max_tokens}) was reached. */
  LENGTH("length"),
  /** The model, a timeout or the server failed the request. */
  ERROR("error"),
  /** The client went away before the end. */
  CANCELLED("cancelled");

  private final String label;

  FinishReason(String label) {
    this.label = label;
  }

  /**
   * The label value and wire value: {@code stop}, {@code length}, {@code error}, {@code cancelled}.
   */
  public String label() {
    return label;
  }
}
