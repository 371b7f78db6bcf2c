package dev.inferwatch.demo;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.servlet.jetty.InferwatchHandler;
import dev.inferwatch.servlet.jetty.TimedThreadPool;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.servlet.scrape.StatusPageServlet;
import jakarta.servlet.DispatcherType;
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
 * DEMO_TRAFFIC=false} turns off the built-in traffic generator.
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
    DemoChat.register(context, iw);
    // Lets streams in flight finish (up to 5 s) before connections close on shutdown.
    server.setHandler(new GracefulHandler(context));
    InferwatchHandler.install(server, iw);
    server.setStopTimeout(5_000);
    server.setStopAtShutdown(true);
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
    Runtime.getRuntime().addShutdownHook(new Thread(iw::close, "inferwatch-shutdown"));
    log.info("Inferwatch demo listening on {}:{}", host, actualPort);
    DemoBanner.print(
        base, traffic != null, "json".equalsIgnoreCase(env("LOG_FORMAT", "text")), System.out);
    server.join();
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
