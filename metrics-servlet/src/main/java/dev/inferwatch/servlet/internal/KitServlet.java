package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.Inferwatch;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A servlet of the kit: a method it does not serve answers a JSON 405 with an {@code Allow} header,
 * never the container's HTML error page (or, for TRACE, an echo of the request).
 */
public abstract class KitServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    switch (request.getMethod()) {
      case "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS" -> super.service(request, response);
      default -> methodNotAllowed(response);
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    methodNotAllowed(response);
  }

  @Override
  protected void doPut(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    methodNotAllowed(response);
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    methodNotAllowed(response);
  }

  @Override
  protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
    response.setHeader("Allow", allowedMethods());
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }

  /**
   * Names the route of a request to an exact mapping of this servlet (its servlet path, a trailing
   * slash folded by the normaliser), so that its 404s (an unknown model) stay on the route instead
   * of {@code __unmatched__}.
   */
  protected static void nameRoute(HttpServletRequest request) {
    if (request.getPathInfo() == null && !request.getServletPath().isEmpty()) {
      request.setAttribute(Inferwatch.ROUTE_ATTRIBUTE, request.getServletPath());
    }
  }

  /** What {@code Allow} says; read-only endpoints answer GET and HEAD. */
  protected String allowedMethods() {
    return "GET, HEAD, OPTIONS";
  }

  /** A JSON 405 naming {@link #allowedMethods()}. */
  protected final void methodNotAllowed(HttpServletResponse response) throws IOException {
    methodNotAllowed(response, allowedMethods(), "this endpoint answers " + allowedMethods());
  }

  /** A JSON 405 for a path whose methods differ from the servlet's, such as a POST-only action. */
  public static void methodNotAllowed(HttpServletResponse response, String allow, String message)
      throws IOException {
    response.setHeader("Allow", allow);
    JsonBody.error(response, 405, "method_not_allowed", message);
  }
}
