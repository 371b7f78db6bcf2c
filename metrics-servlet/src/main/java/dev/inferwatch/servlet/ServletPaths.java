package dev.inferwatch.servlet;

import java.util.List;

/**
 * The paths the kit's servlets are mapped to, in one place: the drop-in, the filter's skip list,
 * the demo and hand-written wiring all read them here. A path with a trailing slash answers as the
 * one without it (model servers' clients send both) and is recorded under the same route.
 *
 * <pre>{@code
 * ServletHolder probes = new ServletHolder(new ProbeServlet(iw));
 * ServletPaths.PROBES.forEach(path -> context.addServlet(probes, path));
 * }</pre>
 */
public final class ServletPaths {

  /** {@code MetricsServlet}: the exposition, its views and docs, and the JSON snapshot. */
  public static final List<String> METRICS = List.of("/metrics", "/metrics/*", "/metrics.json");

  /**
   * {@code ProbeServlet}: Kubernetes probes, the model-server {@code /ping} and health reports;
   * each with a trailing slash too, which answers as the path without it.
   */
  public static final List<String> PROBES =
      List.of(
          "/livez",
          "/livez/",
          "/readyz",
          "/readyz/",
          "/startupz",
          "/startupz/",
          "/ping",
          "/ping/",
          "/health/*");

  /**
   * The exact mapping of the context root, for the legacy {@code /} liveness of model servers; map
   * it only where the application serves nothing at its root (the drop-in checks).
   */
  public static final String PROBE_ROOT = "";

  /** {@code InfoServlet}. */
  public static final String INFO = "/info";

  /** {@code StatusPageServlet}. */
  public static final String STATUS_PAGE = "/inferwatch";

  /**
   * {@code ChatCompletionsServlet}: OpenAI's paths, with and without {@code /v1} and with a
   * trailing slash, and models.
   */
  public static final List<String> CHAT =
      List.of(
          "/v1/chat/completions",
          "/v1/chat/completions/",
          "/chat/completions",
          "/chat/completions/",
          "/v1/models");

  /** {@code PredictServlet}: the common path and SageMaker's, each with a trailing slash too. */
  public static final List<String> PREDICT =
      List.of("/predict", "/predict/", "/invocations", "/invocations/");

  private ServletPaths() {}
}
