package dev.inferwatch.demo;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.business.DomainCounter;
import dev.inferwatch.core.internal.DaemonThreads;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's plain endpoints: enough path parameters and latencies to make the HTTP panels real.
 */
final class DemoEndpoints {

  private static final Logger log = LoggerFactory.getLogger(DemoEndpoints.class);

  private DemoEndpoints() {}

  static void register(ServletContextHandler context, Inferwatch iw) {
    DomainCounter orders =
        iw.business().counter("demo_orders_total", "Orders the demo pretended to place", "channel");
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.single("demo-async-timer"));
    iw.closeOnShutdown(timer::shutdownNow);

    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                json(resp, 200, "{\"message\":\"hello\"}");
              }
            }),
        "/hello");
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                String id = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
                if (id.isEmpty() || id.contains("/")) {
                  json(resp, 404, "{\"error\":{\"message\":\"no such model\"}}");
                  return;
                }
                json(resp, 200, "{\"id\":\"" + id.replaceAll("[^A-Za-z0-9._-]", "") + "\"}");
              }
            }),
        "/v1/models/*");
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                sleep(ThreadLocalRandom.current().nextInt(2, 40));
                json(resp, 200, "{\"orders\":[]}");
              }

              @Override
              protected void doPost(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                String channel = ThreadLocalRandom.current().nextBoolean() ? "web" : "api";
                orders.increment(channel);
                // Logged inside the request: the line carries its request_id (MDC).
                log.atInfo()
                    .addKeyValue("channel", channel)
                    .log("Order placed for user {}", req.getPathInfo());
                json(resp, 201, "{\"created\":true}");
              }
            }),
        "/users/*");
    ServletHolder slow =
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                long ms = parse(req.getParameter("ms"), 200);
                AsyncContext async = req.startAsync();
                timer.schedule(
                    () -> {
                      try {
                        json(
                            (HttpServletResponse) async.getResponse(),
                            200,
                            "{\"slept\":" + ms + "}");
                      } catch (IOException ignored) {
                        // Client went away; the filter counts the disconnect.
                      } finally {
                        async.complete();
                      }
                    },
                    ms,
                    TimeUnit.MILLISECONDS);
              }
            });
    slow.setAsyncSupported(true);
    context.addServlet(slow, "/slow");
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                // What host code does when it catches its own failure: count it, then let it out.
                iw.models().recordApplicationError("demo_failure", "/fail");
                throw new IllegalStateException("the demo failed on purpose");
              }
            }),
        "/fail");
  }

  static void json(HttpServletResponse resp, int status, String body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.getWriter().write(body);
  }

  private static long parse(String value, long fallback) {
    try {
      return value == null ? fallback : Math.max(0, Math.min(10_000, Long.parseLong(value)));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
