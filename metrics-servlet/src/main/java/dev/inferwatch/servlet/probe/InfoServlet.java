package dev.inferwatch.servlet.probe;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Version;
import dev.inferwatch.servlet.internal.InferwatchServlet;
import dev.inferwatch.servlet.internal.JsonBody;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /info}: service, env, version, models, uptime, enabled features, JVM and container.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new InfoServlet(iw)), ServletPaths.INFO);
 * }</pre>
 */
public class InfoServlet extends InferwatchServlet {

  private static final long serialVersionUID = 1L;

  /** For containers that instantiate the servlet: the instance comes from the servlet context. */
  public InfoServlet() {
    super(null);
  }

  /** Describes {@code iw} and the application around it. */
  public InfoServlet(Inferwatch iw) {
    super(iw);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", inferwatch().service());
    body.put("env", inferwatch().environment());
    body.put("version", inferwatch().version());
    body.put("inferwatch_version", Version.kit());
    body.put("started_at", inferwatch().startedAt().toString());
    body.put("uptime_seconds", inferwatch().uptime().toMillis() / 1000.0);
    body.put("models", inferwatch().models().status());
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("endpoints", endpoints());
    features.put("modules", new TreeSet<>(inferwatch().modules().keySet()));
    features.put(
        "management_port",
        inferwatch().managementPort() >= 0 ? inferwatch().managementPort() : null);
    body.put("features", features);
    body.put("request_timing", requestTiming());
    Map<String, Object> jvm = new LinkedHashMap<>();
    jvm.put("version", System.getProperty("java.version"));
    jvm.put("vendor", System.getProperty("java.vendor"));
    jvm.put("vm", System.getProperty("java.vm.name"));
    body.put("jvm", jvm);
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("server_info", getServletContext().getServerInfo());
    container.put(
        "servlet_api",
        getServletContext().getMajorVersion() + "." + getServletContext().getMinorVersion());
    body.put("container", container);
    JsonBody.write(response, 200, body);
  }

  /**
   * Where request durations start: the request's arrival when a container adapter reports it, else
   * filter entry (parsing and waiting for a thread are then not in them).
   */
  private Map<String, Object> requestTiming() {
    String source = inferwatch().http().arrivalSource();
    Map<String, Object> timing = new LinkedHashMap<>();
    timing.put("from", source == null ? "filter_entry" : "arrival");
    timing.put(
        "source",
        source == null
            ? "MetricsFilter entry; install the Jetty or Tomcat adapter to time from arrival"
            : source);
    return timing;
  }

  /** Paths served by the kit's own servlets in this context. */
  private TreeSet<String> endpoints() {
    TreeSet<String> paths = new TreeSet<>();
    try {
      for (ServletRegistration r : getServletContext().getServletRegistrations().values()) {
        String type = r.getClassName();
        if (type != null && type.startsWith("dev.inferwatch.servlet.")) {
          paths.addAll(r.getMappings());
        }
      }
    } catch (RuntimeException e) {
      // Some containers refuse the lookup outside their own listeners; the list is optional.
      inferwatch().internalErrors().record("info.endpoints", e);
    }
    return paths;
  }
}
