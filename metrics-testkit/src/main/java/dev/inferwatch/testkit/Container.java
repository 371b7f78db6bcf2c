package dev.inferwatch.testkit;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.jetty.InferwatchHandler;
import dev.inferwatch.servlet.jetty.TimedThreadPool;
import dev.inferwatch.servlet.tomcat.InferwatchValve;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The real servlet containers the tests run in: embedded Jetty 12 (ee10) and Tomcat 11, on a random
 * loopback port. Use with {@code @EnumSource(Container.class)}.
 *
 * <pre>{@code
 * try (Container.Running app = container.start(filter, Map.of("/hello", servlet))) {
 *   client.send(HttpRequest.newBuilder(app.uri("/hello")).build(), ofString());
 * }
 * }</pre>
 */
public enum Container {
  JETTY {
    @Override
    public Running start(Filter filter, Map<String, Servlet> servlets, Inferwatch adapter)
        throws Exception {
      Server server = adapter == null ? new Server() : new Server(new TimedThreadPool());
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      if (filter != null) {
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
      }
      for (Map.Entry<String, Servlet> e : servlets.entrySet()) {
        ServletHolder holder = new ServletHolder(e.getValue());
        holder.setAsyncSupported(true);
        context.addServlet(holder, e.getKey());
      }
      server.setHandler(context);
      if (adapter != null) {
        InferwatchHandler.install(server, adapter);
      }
      server.start();
      int port = connector.getLocalPort();
      return new Running(URI.create("http://127.0.0.1:" + port), server::stop);
    }
  },
  TOMCAT {
    @Override
    public Running start(Filter filter, Map<String, Servlet> servlets, Inferwatch adapter)
        throws Exception {
      File base = Files.createTempDirectory("tomcat").toFile();
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(base.getAbsolutePath());
      Connector connector = new Connector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.getService().addConnector(connector);
      tomcat.setConnector(connector);
      Context context = tomcat.addContext("", base.getAbsolutePath());
      if (filter != null) {
        FilterDef def = new FilterDef();
        def.setFilterName("inferwatch");
        def.setFilter(filter);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("inferwatch");
        map.addURLPattern("/*");
        map.setDispatcher(DispatcherType.REQUEST.name());
        context.addFilterMap(map);
      }
      int i = 0;
      for (Map.Entry<String, Servlet> e : servlets.entrySet()) {
        String name = "servlet" + i++;
        Wrapper wrapper = Tomcat.addServlet(context, name, e.getValue());
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded(e.getKey(), name);
      }
      if (adapter != null) {
        InferwatchValve.install(tomcat, adapter);
      }
      tomcat.start();
      int port = connector.getLocalPort();
      return new Running(
          URI.create("http://127.0.0.1:" + port),
          () -> {
            tomcat.stop();
            tomcat.destroy();
          });
    }
  };

  /** Starts the container with {@code filter} on {@code /*} (if not null) and the servlets. */
  public Running start(Filter filter, Map<String, Servlet> servlets) throws Exception {
    return start(filter, servlets, null);
  }

  /**
   * As {@link #start(Filter, Map)}, with the kit's container adapter recording into {@code adapter}
   * when it is not null: Jetty's {@code InferwatchHandler} on a {@code TimedThreadPool}, Tomcat's
   * {@code InferwatchValve} with its {@code TimedThreadExecutor}.
   */
  public abstract Running start(Filter filter, Map<String, Servlet> servlets, Inferwatch adapter)
      throws Exception;

  /** Mappings and servlets in pairs: {@code servlets("/a", a, "/b", b)}, in order. */
  public static Map<String, Servlet> servlets(Object... mappingThenServlet) {
    Map<String, Servlet> map = new LinkedHashMap<>();
    for (int i = 0; i < mappingThenServlet.length; i += 2) {
      map.put((String) mappingThenServlet[i], (Servlet) mappingThenServlet[i + 1]);
    }
    return map;
  }

  /** A started container; closing stops it. */
  public static final class Running implements AutoCloseable {
    private final URI base;
    private final Stopper stopper;

    Running(URI base, Stopper stopper) {
      this.base = base;
      this.stopper = stopper;
    }

    /** {@code pathAndQuery} on this container, such as {@code /metrics?name[]=x}. */
    public URI uri(String pathAndQuery) {
      return base.resolve(pathAndQuery);
    }

    /** {@code http://127.0.0.1:port/}. */
    public URI base() {
      return base;
    }

    /** Stops the container. */
    @Override
    public void close() throws Exception {
      stopper.stop();
    }
  }

  /** How a started container stops. */
  @FunctionalInterface
  interface Stopper {
    void stop() throws Exception;
  }
}
