package dev.inferwatch.servlet.scrape;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.internal.ContextInferwatch;
import dev.inferwatch.servlet.internal.InferwatchServlet;
import dev.inferwatch.servlet.internal.JsonBody;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the metrics endpoints from the Inferwatch registry:
 *
 * <ul>
 *   <li>{@code /metrics}, {@code /metrics/all}: everything, through client_java's jakarta exporter
 *       (Prometheus text or OpenMetrics by {@code Accept}, protobuf, gzip, {@code name[]}).
 *   <li>{@code /metrics/{system,http,models,providers,llm,gpu,business,performance}}: one {@link
 *       MetricCategory category}, filtered on the server, in the negotiated text format.
 *   <li>{@code /metrics.json} (alias {@code /metrics/summary}): a JSON snapshot for dashboards and
 *       the status page, with recent events, last errors and the last 30 minutes of history ({@code
 *       ?since=T}, Unix seconds, returns only newer history points).
 *   <li>{@code /metrics/docs}: a markdown catalogue of the live families.
 * </ul>
 *
 * <p>Map it to {@code /metrics}, {@code /metrics/*} and {@code /metrics.json}. Every path honours
 * the optional {@link MetricsAuth} (from {@code INFERWATCH_METRICS_USER}/{@code _PASSWORD}/{@code
 * _TOKEN} or context parameters when not given).
 *
 * <pre>{@code
 * ServletHolder metrics = new ServletHolder(new MetricsServlet(iw));
 * ServletPaths.METRICS.forEach(path -> context.addServlet(metrics, path));
 * }</pre>
 */
public class MetricsServlet extends InferwatchServlet {

  private static final long serialVersionUID = 1L;

  private transient MetricsAuth auth;
  private transient PrometheusMetricsServlet exporter;
  private transient ExpositionFormats formats;

  /** For containers that instantiate the servlet: the instance comes from the servlet context. */
  public MetricsServlet() {
    super(null);
  }

  /** Serves the registry of {@code iw}; auth comes from settings and context parameters. */
  public MetricsServlet(Inferwatch iw) {
    super(iw);
  }

  /** Serves the registry of {@code iw} behind {@code auth}. */
  public MetricsServlet(Inferwatch iw, MetricsAuth auth) {
    super(iw);
    this.auth = auth;
  }

  @Override
  protected void start(ServletConfig config) throws ServletException {
    if (auth == null) {
      auth = MetricsAuth.fromSettings(ContextInferwatch.settings(config.getServletContext()));
    }
    exporter = new PrometheusMetricsServlet(inferwatch().registry());
    exporter.init(config);
    formats = ExpositionFormats.init();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    response.setHeader("Cache-Control", "no-store");
    if (!auth.admit(request, response)) {
      return;
    }
    String view = view(request);
    if (view.isEmpty() || view.equals("all")) {
      exporter.service(request, response);
    } else if (view.equals("metrics.json") || view.equals("summary")) {
      json(request, response);
    } else if (view.equals("docs")) {
      docs(request, response);
    } else {
      MetricCategory category = MetricCategory.named(view);
      if (category == null) {
        JsonBody.error(
            response,
            404,
            "not_found",
            "no metrics view '" + view + "'; try " + MetricCategory.paths());
      } else {
        category(category, request, response);
      }
    }
  }

  @Override
  protected void doHead(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    doGet(request, response);
  }

  /** "" for /metrics, "providers" for /metrics/providers, "metrics.json" for /metrics.json. */
  private static String view(HttpServletRequest request) {
    String info = request.getPathInfo();
    if (info == null || info.equals("/")) {
      String servletPath = request.getServletPath();
      return servletPath != null && servletPath.endsWith("/metrics.json") ? "metrics.json" : "";
    }
    String view = info.startsWith("/") ? info.substring(1) : info;
    return view.endsWith("/") ? view.substring(0, view.length() - 1) : view;
  }

  private void category(
      MetricCategory category, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    MetricCategory.Context context = new MetricCategory.Context(inferwatch());
    List<MetricSnapshot> kept = new ArrayList<>();
    for (MetricSnapshot snapshot : inferwatch().registry().scrape()) {
      if (category.includes(snapshot, context)) {
        kept.add(snapshot);
      }
    }
    ExpositionFormatWriter writer = formats.findWriter(request.getHeader("Accept"));
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(writer.getContentType());
    if ("HEAD".equals(request.getMethod())) {
      return;
    }
    try (OutputStream out = response.getOutputStream()) {
      writer.write(out, new MetricSnapshots(kept));
    }
  }

  private void json(HttpServletRequest request, HttpServletResponse response) throws IOException {
    double since = Double.NEGATIVE_INFINITY;
    String sinceParameter = request.getParameter("since");
    if (sinceParameter != null) {
      try {
        since = Double.parseDouble(sinceParameter);
      } catch (NumberFormatException e) {
        since = Double.NaN;
      }
      if (!Double.isFinite(since)) {
        JsonBody.error(
            response,
            400,
            "invalid_request_error",
            "since must be a time in Unix seconds, such as 1767225600");
        return;
      }
    }
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(MetricsSummary.of(inferwatch(), since));
    } catch (RuntimeException e) {
      inferwatch().internalErrors().record("metrics.json", e);
      JsonBody.error(response, 500, "internal_error", "the snapshot failed; see the server log");
      return;
    }
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private void docs(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String url = request.getRequestURL().toString();
    String base = url.substring(0, url.length() - request.getRequestURI().length());
    byte[] body =
        MetricsDocs.of(inferwatch(), base + request.getContextPath())
            .getBytes(StandardCharsets.UTF_8);
    response.setContentType("text/markdown; charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
