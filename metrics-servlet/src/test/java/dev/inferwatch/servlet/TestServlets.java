package dev.inferwatch.servlet;

import dev.inferwatch.core.Inferwatch;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Small host servlets that exercise the filter's paths: sync, async, throwing, streamed, 404. */
public final class TestServlets {

  private TestServlets() {}

  public static HttpServlet text(int status, String body) {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain");
        resp.getWriter().write(body);
      }
    };
  }

  /** Completes on another thread after {@code ?ms=} milliseconds (default 100). */
  public static HttpServlet async() {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        long ms = req.getParameter("ms") == null ? 100 : Long.parseLong(req.getParameter("ms"));
        int status = req.getParameter("status") == null ? 200 : 202;
        AsyncContext async = req.startAsync();
        async.setTimeout(30_000);
        CompletableFuture.runAsync(
            () -> {
              try {
                HttpServletResponse r = (HttpServletResponse) async.getResponse();
                r.setStatus(status);
                r.getWriter().write("done");
              } catch (IOException ignored) {
                // client gone
              } finally {
                async.complete();
              }
            },
            CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
      }
    };
  }

  public static HttpServlet throwing() {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        throw new IllegalStateException("host failure");
      }
    };
  }

  /** Commits a 200 by flushing, then fails: the status seen by the client is 200. */
  public static HttpServlet streamedThenThrowing() {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write("partial");
        resp.flushBuffer();
        throw new IllegalArgumentException("after commit");
      }
    };
  }

  /** Sets the route through the request attribute, as a framework would. */
  public static HttpServlet routed(String template) {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setAttribute(Inferwatch.ROUTE_ATTRIBUTE, template);
        resp.getWriter().write("routed");
      }
    };
  }

  /** Starts async with a short timeout and never completes: the container times it out. */
  public static HttpServlet neverCompletes() {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        req.startAsync().setTimeout(300);
      }
    };
  }

  /** Streams flushed chunks for up to 20 s; a failed write propagates as the container's own. */
  public static HttpServlet firehose() {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/octet-stream");
        byte[] chunk = new byte[16 * 1024];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
          resp.getOutputStream().write(chunk);
          resp.flushBuffer();
        }
      }
    };
  }
}
