package dev.inferwatch.demo;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.jetty.InferwatchHandler;
import dev.inferwatch.servlet.jetty.TimedThreadPool;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.servlet.scrape.StatusPageServlet;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: embedded Jetty 12 with every Inferwatch feature on and fake workloads behind it.
 *
 * <p>{@code PORT} (default 8080) and {@code HOST} (default 0.0.0.0) choose where it listens; {@code
 * DEMO_TRAFFIC=false} turns off the built-in traffic generator and {@code DEMO_SEED} makes it
 * reproducible.
 *
 * <p>On SIGTERM it stops in the order a load balancer needs: {@code /readyz} answers 503 at once,
 * the demo keeps serving for {@code DEMO_DRAIN_MS} (default 0) so that whoever polls readiness
 * stops sending, then chat streams in flight get {@code INFERWATCH_CHAT_SHUTDOWN_GRACE_MS} (default
 * 5000) to finish (new chats answer 503), then Jetty stops accepting and gives other requests in
 * flight as long again before the kit's threads stop: at most drain + 2 × grace in all.
 */
public final class DemoServer {

  private static final Logger log = LoggerFactory.getLogger(DemoServer.class);

  private DemoServer() {}

  /** Starts the demo and blocks until the JVM is stopped. */
  public static void main(String[] args) throws Exception {
    String host = env("HOST", "0.0.0.0");
    int port = Integer.parseInt(env("PORT", "8080"));
    Inferwatch iw =
        Inferwatch.builder()
            .service("inferwatch-demo")
            .environment("dev")
            .routes(r -> r.template("/v1/models/{id}").template("/static/**"))
            .settings(Settings.fromEnvironment())
            .build();

    // The timed pool and the adapter time requests from their arrival, and count the ones Jetty
    // refuses before any filter (route __rejected__).
    Server server = new Server(new TimedThreadPool());
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    FilterHolder filter = new FilterHolder(new MetricsFilter(iw));
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder metrics = new ServletHolder(new MetricsServlet(iw));
    ServletPaths.METRICS.forEach(path -> context.addServlet(metrics, path));
    DemoProbes.register(context, iw);
    context.addServlet(new ServletHolder(new StatusPageServlet()), ServletPaths.STATUS_PAGE);
    DemoEndpoints.register(context, iw);
    ChatCompletionsServlet chat = DemoChat.register(context, iw);
    // Lets requests and streams in flight finish before connections close on shutdown.
    server.setHandler(new GracefulHandler(context));
    InferwatchHandler.install(server, iw);
    server.setStopTimeout(DemoChat.shutdownGrace().toMillis());
    server.start();

    int actualPort = connector.getLocalPort();
    String base = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + actualPort;
    DemoTraffic traffic = null;
    if (!"false".equalsIgnoreCase(env("DEMO_TRAFFIC", "true"))) {
      traffic = DemoTraffic.start("http://127.0.0.1:" + actualPort);
      iw.closeOnShutdown(traffic);
      iw.closeOnShutdown(DemoRouter.start(iw));
      iw.closeOnShutdown(DemoChatTraffic.start("http://127.0.0.1:" + actualPort));
    }
    Duration drain = Duration.ofMillis(Long.parseLong(env("DEMO_DRAIN_MS", "0")));
    // One hook, so readiness goes down before Jetty stops accepting (two hooks would race).
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> shutDown(server, chat, iw, drain), "demo-shutdown"));
    log.info("Inferwatch demo listening on {}:{}", host, actualPort);
    DemoBanner.print(
        base, traffic != null, "json".equalsIgnoreCase(env("LOG_FORMAT", "text")), System.out);
    server.join();
  }

  private static void shutDown(
      Server server, ChatCompletionsServlet chat, Inferwatch iw, Duration drain) {
    iw.health().beginShutdown();
    log.info("Shutting down: /readyz answers 503, draining for {} ms", drain.toMillis());
    try {
      Thread.sleep(drain.toMillis());
      // Before Jetty closes connections: streams still running after the grace get an error chunk
      // and [DONE] instead of a cut connection. Jetty's own destroy() later is a no-op.
      chat.destroy();
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Jetty did not stop cleanly: {}", e.toString());
    }
    iw.close();
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
