package dev.inferwatch.core.http;

/**
 * The {@code method} label values: the RFC 9110 methods plus PATCH, and {@link #_OTHER} for
 * anything else (OpenTelemetry's rule), so that a client inventing methods cannot add series.
 */
public enum HttpMethod {
  GET,
  HEAD,
  POST,
  PUT,
  DELETE,
  CONNECT,
  OPTIONS,
  TRACE,
  PATCH,
  _OTHER;

  private static final HttpMethod[] VALUES = values();

  /** All constants, indexed by ordinal; shared, do not modify. */
  static HttpMethod[] all() {
    return VALUES;
  }

  /** The constant for {@code method} (case-sensitive, as RFC 9110 says), {@link #_OTHER} else. */
  public static HttpMethod of(String method) {
    if (method == null) {
      return _OTHER;
    }
    return switch (method) {
      case "GET" -> GET;
      case "HEAD" -> HEAD;
      case "POST" -> POST;
      case "PUT" -> PUT;
      case "DELETE" -> DELETE;
      case "CONNECT" -> CONNECT;
      case "OPTIONS" -> OPTIONS;
      case "TRACE" -> TRACE;
      case "PATCH" -> PATCH;
      default -> _OTHER;
    };
  }
}
