package dev.inferwatch.servlet;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves {@code /metrics} from the Inferwatch registry through client_java's jakarta exporter:
 * Prometheus text or OpenMetrics by {@code Accept}, protobuf for native histograms, gzip by {@code
 * Accept-Encoding}, {@code name[]} filtering.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new MetricsServlet(iw)), "/metrics");
 * }</pre>
 */
public class MetricsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private transient Inferwatch iw;
  private transient PrometheusMetricsServlet exporter;

  /** For containers that instantiate the servlet: the instance comes from the servlet context. */
  public MetricsServlet() {}

  /** Serves the registry of {@code iw}. */
  public MetricsServlet(Inferwatch iw) {
    this.iw = iw;
  }

  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    if (iw == null) {
      iw = ContextInferwatch.of(config.getServletContext());
    }
    exporter = new PrometheusMetricsServlet(iw.registry());
    exporter.init(config);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    response.setHeader("Cache-Control", "no-store");
    exporter.service(request, response);
  }

  @Override
  protected void doHead(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    exporter.service(request, response);
  }

  /** The instance this servlet serves. */
  protected final Inferwatch inferwatch() {
    return iw;
  }
}
