package dev.inferwatch.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses {@code TRACE} on every path with a JSON 405, before any servlet sees it: a plain {@code
 * HttpServlet} would echo the request, headers and cookies included (cross-site tracing).
 */
final class NoTrace extends Handler.Wrapper {

  private static final byte[] BODY =
      "{\"error\":{\"message\":\"TRACE is not served\",\"type\":\"method_not_allowed\"}}"
          .getBytes(StandardCharsets.UTF_8);

  NoTrace(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!HttpMethod.TRACE.is(request.getMethod())) {
      return super.handle(request, response, callback);
    }
    response.setStatus(405);
    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST, OPTIONS");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(BODY), callback);
    return true;
  }
}
