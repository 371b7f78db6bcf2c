package dev.inferwatch.core.llm;

/**
 * How a served generation ended: the {@code finish_reason} label of {@code
 * gen_ai_server_requests_total}. The first four are OpenAI's wire values; {@code error} and {@code
 * abort} are vLLM's for a failed request and for one whose client went away or was cancelled.
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
  /** The model's content filter withheld the rest of the answer. */
  CONTENT_FILTER("content_filter"),
  /** The model stopped to call one or more tools. */
  TOOL_CALLS("tool_calls"),
  /** The model, a timeout or the server failed the request. */
  ERROR("error"),
  /** The client went away, or the request was cancelled, before the end. */
  ABORT("abort");

  private final String label;

  FinishReason(String label) {
    this.label = label;
  }

  /** The label value, and for the first four the OpenAI wire value, such as {@code length}. */
  public String label() {
    return label;
  }

  /** Whether the model produced a complete answer ({@code stop}, {@code length}…). */
  public boolean successful() {
    return this != ERROR && this != ABORT;
  }
}
