package dev.inferwatch.servlet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON responses of the probe, info and predict servlets, through one shared Jackson mapper. */
final class JsonBody {

  /** Thread-safe once configured; strict about trailing garbage after the document. */
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBody() {}

  /** Writes {@code body} as JSON with {@code status}; probes and errors are never cached. */
  static void write(HttpServletResponse response, int status, Object body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** The error shape every servlet of the kit answers with: {@code {"error":{message,type}}}. */
  static void error(HttpServletResponse response, int status, String type, String message)
      throws IOException {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("type", type);
    write(response, status, Map.of("error", error));
  }
}
