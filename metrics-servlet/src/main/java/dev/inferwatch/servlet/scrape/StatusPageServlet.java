package dev.inferwatch.servlet.scrape;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.internal.KitServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the status page: one self-contained HTML page (inline CSS and script, no external assets,
 * works offline) that polls {@code metrics.json} beside it and shows rates, latency, providers,
 * models, GPUs, health and recent events.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new StatusPageServlet()), ServletPaths.STATUS_PAGE);
 * }</pre>
 */
public class StatusPageServlet extends KitServlet {

  private static final long serialVersionUID = 1L;

  // The page fetches only its own origin; inline style and script are the whole page.
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
          + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
          + "frame-ancestors 'self'";

  private static final byte[] PAGE = load("status-page.html");

  /** The page; it needs no {@link Inferwatch} itself, since it reads {@code metrics.json}. */
  public StatusPageServlet() {}

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    headers(response);
    response.getOutputStream().write(PAGE);
  }

  @Override
  protected void doHead(HttpServletRequest request, HttpServletResponse response) {
    headers(response);
  }

  private static void headers(HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("text/html;charset=UTF-8");
    response.setContentLength(PAGE.length);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  }

  private static byte[] load(String resource) {
    try (InputStream in = StatusPageServlet.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
