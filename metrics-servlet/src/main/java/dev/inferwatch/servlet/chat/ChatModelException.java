package dev.inferwatch.servlet.chat;

/**
 * A failure with an HTTP status and an OpenAI error {@code type}, thrown by a {@link ChatModel} or
 * raised by the servlet's own checks; it becomes the OpenAI error object of the response.
 *
 * <pre>{@code
 * throw ChatModelException.notReady("model is loading");
 * }</pre>
 */
public class ChatModelException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String param;
  private final String code;

  /** A failure answered with {@code status} and the OpenAI error {@code type}. */
  public ChatModelException(int status, String type, String message) {
    this(status, type, message, null, null);
  }

  ChatModelException(int status, String type, String message, String param, String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** 400: the request is malformed; {@code param} names the offending field. */
  public static ChatModelException invalid(String message, String param) {
    return new ChatModelException(400, "invalid_request_error", message, param, null);
  }

  /** 501: the request uses a feature this model or server does not implement. */
  public static ChatModelException unsupported(String message, String param) {
    return new ChatModelException(501, "invalid_request_error", message, param, "unsupported");
  }

  /** 503: the model cannot serve yet (loading, draining). */
  public static ChatModelException notReady(String message) {
    return new ChatModelException(503, "server_error", message, null, "model_not_ready");
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The OpenAI error type, such as {@code invalid_request_error} or {@code server_error}. */
  public String type() {
    return type;
  }

  /** The offending request field, or {@code null}. */
  public String param() {
    return param;
  }

  /** A machine-readable code, or {@code null}. */
  public String code() {
    return code;
  }
}
