package dev.inferwatch.servlet.probe;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.InferwatchModule;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.core.health.HealthReport;
import dev.inferwatch.core.internal.auth.Access;
import dev.inferwatch.core.models.ModelMetrics;
import dev.inferwatch.servlet.internal.Guard;
import dev.inferwatch.servlet.internal.InferwatchServlet;
import dev.inferwatch.servlet.internal.JsonBody;
import dev.inferwatch.servlet.internal.RequestBodies;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kubernetes-style probes and health reports over {@link Inferwatch#health()}: JSON bodies, 200
 * when up and 503 when down, {@code Cache-Control: no-store}, HEAD answered like GET.
 *
 * <pre>{@code
 * ServletHolder probes = new ServletHolder(new ProbeServlet(iw));
 * ServletPaths.PROBES.forEach(path -> context.addServlet(probes, path));
 * }</pre>
 *
 * <p>{@code /livez} and {@code /ping} (liveness), {@code /readyz}, {@code /startupz}, {@code
 * /health} (all groups), {@code /health/detailed} (every check with duration, reason and last
 * success), {@code /health/model}, {@code /health/system}, {@code /health/gpu} ({@code
 * /health/{name}} for any other started module) and {@code POST /health/model/reload} (202 started,
 * 409 already running, 501 no reload hook). Mapped to the context root ({@code
 * ServletPaths.PROBE_ROOT}), it answers {@code /} like {@code /ping}.
 *
 * <p>With metrics credentials configured, every report beyond up/down needs them; the probes stay
 * open and answer status only (no reasons, versions, paths or sizes). A reload needs the metrics
 * credentials or the admin token, {@code Content-Type: application/json} (which a cross-site form
 * cannot send), and is taken at most once per second.
 */
public class ProbeServlet extends InferwatchServlet {

  private static final long serialVersionUID = 1L;

  /** At most one reload request per this many nanoseconds, whatever else limits loads. */
  static final long RELOAD_INTERVAL_NANOS = 1_000_000_000L;

  private static final String RELOAD = "/health/model/reload";
  private static final String RELOAD_METHODS = "POST, OPTIONS";

  private transient Access access;
  private final AtomicLong lastReload = new AtomicLong(System.nanoTime() - RELOAD_INTERVAL_NANOS);

  /** For containers that instantiate the servlet: the instance comes from the servlet context. */
  public ProbeServlet() {
    super(null);
  }

  /** Serves the health of {@code iw}. */
  public ProbeServlet(Inferwatch iw) {
    super(iw);
  }

  @Override
  protected void start(ServletConfig config) {
    access = Guard.access(inferwatch(), config.getServletContext());
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = path(request);
    switch (path) {
      case "/livez", "/ping", "/" ->
          probe(response, inferwatch().health().check(HealthGroup.LIVENESS));
      case "/readyz" -> probe(response, inferwatch().health().check(HealthGroup.READINESS));
      case "/startupz" -> probe(response, inferwatch().health().check(HealthGroup.STARTUP));
      case "/health" -> probe(response, inferwatch().health().checkAll());
      case RELOAD -> methodNotAllowed(response, RELOAD_METHODS, "POST to reload the model");
      default -> {
        if (Guard.admit(access.metrics(), request, response)) {
          details(response, path);
        }
      }
    }
  }

  /** The reports beyond up/down, which need the metrics credentials when any are set. */
  private void details(HttpServletResponse response, String path) throws IOException {
    switch (path) {
      case "/health/detailed" -> report(response, inferwatch().health().checkAll());
      case "/health/model" -> model(response);
      case "/health/system" -> JsonBody.write(response, 200, SystemHealth.read(inferwatch()));
      case "/health/gpu" -> JsonBody.write(response, 200, gpu());
      default -> other(response, path);
    }
  }

  @Override
  protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
    if (RELOAD.equals(path(request))) {
      response.setHeader("Allow", RELOAD_METHODS);
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    } else {
      super.doOptions(request, response);
    }
  }

  /** {@code /health/{module}} for any other started module; 404 for anything else. */
  private void other(HttpServletResponse response, String path) throws IOException {
    String name = path.startsWith("/health/") ? path.substring("/health/".length()) : "";
    Optional<InferwatchModule> module =
        name.isEmpty() ? Optional.empty() : inferwatch().module(name);
    if (module.isEmpty()) {
      JsonBody.error(response, 404, "not_found", "no such health endpoint");
      return;
    }
    try {
      JsonBody.write(response, 200, module.get().status());
    } catch (RuntimeException e) {
      inferwatch().internalErrors().record("probe.module", e);
      JsonBody.write(response, 200, Map.of("available", false, "reason", "module status failed"));
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!RELOAD.equals(path(request))) {
      methodNotAllowed(response);
      return;
    }
    if (!Guard.admit(access.admin(), request, response)) {
      return;
    }
    if (!RequestBodies.isJson(request.getContentType())) {
      JsonBody.error(
          response, 415, "unsupported_media_type", "send Content-Type: application/json");
      return;
    }
    long now = System.nanoTime();
    long last = lastReload.get();
    if (now - last < RELOAD_INTERVAL_NANOS || !lastReload.compareAndSet(last, now)) {
      response.setHeader("Retry-After", "1");
      JsonBody.error(response, 429, "rate_limited", "at most one reload request per second");
      return;
    }
    ModelMetrics.ReloadResult result = inferwatch().models().reload();
    switch (result) {
      case ACCEPTED -> JsonBody.write(response, 202, Map.of("status", "reloading"));
      case CONFLICT ->
          JsonBody.error(response, 409, "conflict", "a model load or reload is already running");
      default -> JsonBody.error(response, 501, "not_implemented", "no model reload configured");
    }
  }

  /** An open probe: with credentials configured, status only (no reasons, paths or sizes). */
  private void probe(HttpServletResponse response, HealthReport report) throws IOException {
    Map<String, Object> body = report.toMap(false);
    if (access.protectsDetails()) {
      Map<String, Object> checks = new LinkedHashMap<>();
      report
          .checks()
          .forEach(
              (name, status) -> checks.put(name, Map.of("status", status.up() ? "UP" : "DOWN")));
      body.put("checks", checks);
    }
    JsonBody.write(response, report.up() ? 200 : 503, body);
  }

  private void report(HttpServletResponse response, HealthReport report) throws IOException {
    Map<String, Object> body = report.toMap(true);
    body.put("uptime_seconds", inferwatch().uptime().toMillis() / 1000.0);
    JsonBody.write(response, report.up() ? 200 : 503, body);
  }

  private void model(HttpServletResponse response) throws IOException {
    boolean up = inferwatch().models().allServing();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("models", inferwatch().models().status());
    body.put("reload_supported", inferwatch().models().reloadSupported());
    JsonBody.write(response, up ? 200 : 503, body);
  }

  private Map<String, Object> gpu() {
    Optional<InferwatchModule> module = inferwatch().module("gpu");
    if (module.isEmpty()) {
      return Map.of("available", false, "reason", "GPU module not installed");
    }
    try {
      return module.get().status();
    } catch (RuntimeException e) {
      inferwatch().internalErrors().record("probe.gpu", e);
      return Map.of("available", false, "reason", "GPU module status failed");
    }
  }

  private static String path(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String info = request.getPathInfo();
    String path = (servletPath == null ? "" : servletPath) + (info == null ? "" : info);
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path.isEmpty() ? "/" : path;
  }
}
