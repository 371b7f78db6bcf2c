package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.internal.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON responses of the kit's servlets, through the kit's one mapper ({@link Json}). */
public final class JsonBody {

  private JsonBody() {}

  /** Writes {@code body} as JSON with {@code status}; probes and errors are never cached. */
  public static void write(HttpServletResponse response, int status, Object body)
      throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /**
   * The error shape every servlet of the kit answers with: {@code
   * {"error":{message,type,request_id}}}, the id being the request's ({@link RequestIds}) when the
   * filter gave it one.
   */
  public static void error(HttpServletResponse response, int status, String type, String message)
      throws IOException {
    write(response, status, errorBody(type, message, RequestIds.of(response)));
  }

  /**
   * The body {@link #error} writes, for callers that write it later; the request id is the one
   * current on this thread ({@link RequestIds#current()}).
   */
  public static Map<String, Object> errorBody(String type, String message) {
    return errorBody(type, message, RequestIds.current());
  }

  private static Map<String, Object> errorBody(String type, String message, String requestId) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("type", type);
    if (requestId != null) {
      error.put("request_id", requestId);
    }
    return Map.of("error", error);
  }
}
