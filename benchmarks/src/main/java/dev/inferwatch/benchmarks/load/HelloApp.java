package dev.inferwatch.benchmarks.load;

import dev.inferwatch.benchmarks.peers.MvcRoute;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.InferwatchInitializer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The app every end-to-end figure runs: embedded Jetty 12 on 127.0.0.1 serving the demo's trivial
 * {@code /hello}, and {@code /r/*} answering the status its {@code s} parameter names (for filling
 * route and status series, one route per path). Handlers record their route the way Spring MVC does
 * ({@link MvcRoute}), so each peer labels requests as a Spring app's would; without a peer that is
 * two attribute writes.
 *
 * <p>As a main it is the child process of the start-up, footprint and agent runs: {@code -port N}
 * and {@code -kit} (the zero-code drop-in, {@link InferwatchInitializer}); it prints {@code ready}
 * once serving and stops when its standard input closes.
 *
 * <pre>{@code
 * Server server = HelloApp.start(0, context -> HelloApp.filter(context, new MetricsFilter(iw)));
 * }</pre>
 */
public final class HelloApp {

  private HelloApp() {}

  /** Starts the app on {@code port} (0: any free one) after {@code setup} adds to its context. */
  public static Server start(int port, Consumer<ServletContextHandler> setup) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new Hello()), "/hello");
    context.addServlet(new ServletHolder(new StatusEcho()), "/r/*");
    setup.accept(context);
    server.setHandler(context);
    server.start();
    return server;
  }

  /**
   * The instance an in-process end-to-end run records into: its own registry (so runs in one JVM
   * never share series), JVM metrics on as in a real app, module discovery off.
   */
  public static Inferwatch inferwatch() {
    return Inferwatch.builder()
        .service("bench")
        .registry(new PrometheusRegistry())
        .discoverModules(false)
        .build();
  }

  /** Puts {@code filter} in front of every path, async-capable, for requests only. */
  public static void filter(ServletContextHandler context, Filter filter) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
  }

  /** Adds the kit as a web app gets it from the jar alone: the drop-in initializer. */
  public static void kit(ServletContextHandler context) {
    context.addServletContainerInitializer(new InferwatchInitializer());
  }

  /** The port {@code server} listens on. */
  public static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Child-process entry point: {@code -port N [-kit]}; serves until standard input closes. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Rows.options(args);
    boolean kit = Boolean.parseBoolean(options.getOrDefault("kit", "false"));
    Server server =
        start(
            Integer.parseInt(options.getOrDefault("port", "0")),
            context -> {
              if (kit) {
                kit(context);
              }
            });
    System.out.println("ready " + port(server));
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Wait for the parent to close our standard input (or to exit).
    }
    server.stop();
  }

  /** The demo's trivial endpoint: a small JSON body. */
  private static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      MvcRoute.matched(request, "/hello");
      response.setStatus(200);
      response.setContentType("application/json");
      response.getWriter().write("{\"message\":\"hello\"}");
    }
  }

  /** {@code /r/<name>?s=404} answers 404: any route, any status. */
  private static final class StatusEcho extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      // Each path is its own mapped pattern, as in an app with that many handlers, so every
      // filter (the kit's reads the same attribute) keeps one route per path.
      MvcRoute.matched(request, request.getRequestURI());
      String status = request.getParameter("s");
      response.setStatus(status == null ? 200 : Integer.parseInt(status));
      response.setContentType("application/json");
      response.getWriter().write("{}");
    }
  }
}
