package dev.inferwatch.servlet;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.HttpMethod;
import dev.inferwatch.core.http.HttpMetrics;
import dev.inferwatch.core.http.Route;
import dev.inferwatch.core.http.RouteNormalizer;
import dev.inferwatch.core.internal.CurrentRequest;
import dev.inferwatch.core.internal.TraceExemplars;
import dev.inferwatch.servlet.internal.Arrivals;
import dev.inferwatch.servlet.internal.ClientGone;
import dev.inferwatch.servlet.internal.ContextInferwatch;
import dev.inferwatch.servlet.internal.RequestIds;
import io.prometheus.metrics.model.snapshots.Labels;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Records every HTTP request into {@link HttpMetrics}: count, duration, status, in-flight, errors
 * and client disconnects, with the route label bounded by the {@link RouteNormalizer}.
 *
 * <p>Synchronous requests are recorded when the chain returns; asynchronous ones (SSE streams,
 * {@code startAsync}) when the container completes them, through an {@link AsyncCompletion}
 * listener. Probe and metrics paths are not recorded. The route is the template the host sets in
 * the request attribute {@link Inferwatch#ROUTE_ATTRIBUTE}, else Spring MVC's best-matching
 * pattern, else the servlet mapping when the container matched it exactly, else the {@link
 * RouteNormalizer}'s label for the path. Map it to {@code DispatcherType.REQUEST} only, with async
 * support on.
 *
 * <p>Every request gets an id ({@value #REQUEST_ID_HEADER} from the client when it is 1 to 64
 * visible ASCII characters, else a new one), echoed on the response and in the SLF4J MDC under
 * {@value #REQUEST_ID_MDC_KEY} while the filter runs; the kit's JSON error bodies carry it.
 * Durations run from filter entry, or from the request's arrival at the container when a container
 * adapter ({@code dev.inferwatch.servlet.jetty.InferwatchHandler}, {@code
 * dev.inferwatch.servlet.tomcat.InferwatchValve}) is installed.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new MetricsFilter(iw)), "/*",
 *     EnumSet.of(DispatcherType.REQUEST)).setAsyncSupported(true);
 * }</pre>
 */
public final class MetricsFilter implements Filter {

  /**
   * Request attribute a servlet sets to {@link Boolean#TRUE} when it saw its client go away (a
   * failed write on a stream); the request is then counted as a client disconnect.
   */
  public static final String CLIENT_GONE_ATTRIBUTE = ClientGone.ATTRIBUTE;

  /** The header a request id arrives in and is echoed in. */
  public static final String REQUEST_ID_HEADER = RequestIds.HEADER;

  /** The MDC key holding the request id while the request is served. */
  public static final String REQUEST_ID_MDC_KEY = RequestIds.MDC_KEY;

  /** Paths (and everything under them) that are never recorded. */
  public static final List<String> DEFAULT_SKIPPED_PATHS = skippedByDefault();

  private Inferwatch iw;
  private HttpMetrics http;
  private RouteNormalizer routes;
  private String[] skipped;
  // Skipped prefixes by their second character (the first is '/'), so a request compares its path
  // with the one or two prefixes that can match instead of all eight: the loop over all of them
  // was 11% of the filter's own time under load (JFR, benchmarks/ThroughputRatio).
  private String[][] skippedBySecondChar;
  // Prefixes the table cannot index ("/", or not starting with '/'): checked on every request.
  private String[] skippedAlways;
  private boolean requestIds = true;

  /** For containers that instantiate the filter: the instance comes from the servlet context. */
  public MetricsFilter() {}

  /** Records into {@code iw}, skipping {@link #DEFAULT_SKIPPED_PATHS}. */
  public MetricsFilter(Inferwatch iw) {
    this(iw, DEFAULT_SKIPPED_PATHS);
  }

  /** Records into {@code iw}, skipping {@code skippedPaths} and everything under them. */
  public MetricsFilter(Inferwatch iw, List<String> skippedPaths) {
    bind(iw, skippedPaths);
  }

  private void bind(Inferwatch iw, List<String> skippedPaths) {
    this.iw = iw;
    this.http = iw.http();
    this.routes = iw.routes();
    this.skipped = skippedPaths.toArray(new String[0]);
    List<String> always = new ArrayList<>();
    List<List<String>> bySecondChar = new ArrayList<>();
    for (int c = 0; c < 128; c++) {
      bySecondChar.add(new ArrayList<>());
    }
    for (String prefix : skipped) {
      if (prefix.length() >= 2 && prefix.charAt(0) == '/' && prefix.charAt(1) < 128) {
        bySecondChar.get(prefix.charAt(1)).add(prefix);
      } else {
        always.add(prefix);
      }
    }
    this.skippedBySecondChar = new String[128][];
    for (int c = 0; c < 128; c++) {
      skippedBySecondChar[c] = bySecondChar.get(c).toArray(new String[0]);
    }
    this.skippedAlways = always.toArray(new String[0]);
  }

  /**
   * Whether to take, make and echo request ids (default on); off saves the header and MDC work,
   * about 60 ns per request (benchmarks/RESULTS.md).
   */
  public MetricsFilter requestIds(boolean enabled) {
    this.requestIds = enabled;
    return this;
  }

  @Override
  public void init(FilterConfig config) {
    if (iw == null) {
      bind(ContextInferwatch.of(config.getServletContext()), DEFAULT_SKIPPED_PATHS);
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)
        || req.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(req, res);
      return;
    }
    long entry = System.nanoTime();
    long arrival = Arrivals.enter();
    if (!requestIds) {
      record(request, response, chain, entry, arrival);
      return;
    }
    String id = RequestIds.accept(request.getHeader(RequestIds.HEADER));
    response.setHeader(RequestIds.HEADER, id);
    CurrentRequest.set(id);
    try {
      record(request, response, chain, entry, arrival);
    } finally {
      CurrentRequest.clear();
    }
  }

  private void record(
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain,
      long entry,
      long arrival)
      throws IOException, ServletException {
    String uri = request.getRequestURI();
    int offset = request.getContextPath().length();
    if (uri == null || isSkipped(uri, offset)) {
      chain.doFilter(request, response);
      return;
    }
    HttpMethod method = HttpMethod.of(request.getMethod());
    long start = entry;
    if (arrival != Arrivals.NONE) {
      start = arrival;
      http.queued(method, entry - arrival);
    }
    http.started(method);
    Throwable failure = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      if (failure == null && request.isAsyncStarted()) {
        watchAsync(request, response, method, uri, offset, start);
      } else {
        finish(request, response, method, uri, offset, start, failure);
      }
    }
  }

  private void watchAsync(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMethod method,
      String uri,
      int offset,
      long start) {
    try {
      // Still on the request's thread: the span current now is the request's, and the completion
      // will be recorded on another thread, so its trace context is captured here.
      AsyncCompletion completion =
          new AsyncCompletion(this, method, uri, offset, start, TraceExemplars.current());
      request.getAsyncContext().addListener(completion, request, response);
    } catch (RuntimeException e) {
      // The async cycle ended under us (completed on another thread): record it now.
      iw.internalErrors().record("filter.async", e);
      finish(request, response, method, uri, offset, start, null);
    }
  }

  private void finish(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMethod method,
      String uri,
      int offset,
      long start,
      Throwable failure) {
    long elapsed = System.nanoTime() - start;
    try {
      boolean clientGone = ClientGone.isAbort(failure) || ClientGone.isFlagged(request);
      int status =
          clientGone
              ? goneStatus(response)
              : failure == null || response.isCommitted() ? status(response) : 500;
      record(method, route(request, uri, offset), status, elapsed, failure, clientGone, null);
    } catch (RuntimeException e) {
      iw.internalErrors().record("filter.finish", e);
    }
  }

  void recordContained(
      HttpMethod method,
      HttpServletRequest request,
      String uri,
      int offset,
      int status,
      long elapsedNanos,
      Throwable failure,
      boolean clientGone,
      Labels exemplar) {
    try {
      record(
          method, route(request, uri, offset), status, elapsedNanos, failure, clientGone, exemplar);
    } catch (RuntimeException e) {
      iw.internalErrors().record("filter.async", e);
    }
  }

  private void record(
      HttpMethod method,
      Route route,
      int status,
      long elapsedNanos,
      Throwable failure,
      boolean clientGone,
      Labels exemplar) {
    http.finished(method, route, status, elapsedNanos, exemplar);
    if (clientGone) {
      http.disconnected(route, status);
    } else if (failure != null) {
      http.failed(route, status, errorType(failure));
    } else if (status >= 500) {
      http.failed(route, status, null);
    }
  }

  /**
   * The route, read when the request completes (the framework sets its pattern during dispatch):
   * the host's {@link Inferwatch#ROUTE_ATTRIBUTE}, then the framework's or container's match
   * ({@link MatchedRoute}), then the normaliser.
   */
  Route route(HttpServletRequest request, String uri, int offset) {
    if (request != null) {
      Object explicit = request.getAttribute(Inferwatch.ROUTE_ATTRIBUTE);
      if (explicit instanceof String template) {
        return routes.explicit(template);
      }
      String matched = MatchedRoute.of(request);
      if (matched != null) {
        return routes.explicit(matched);
      }
    }
    return routes.normalize(offset == 0 ? uri : uri.substring(offset));
  }

  boolean isSkipped(String uri, int offset) {
    if (uri.length() > offset + 1 && uri.charAt(offset) == '/') {
      char second = uri.charAt(offset + 1);
      if (second < 128 && isUnder(uri, offset, skippedBySecondChar[second])) {
        return true;
      }
    }
    return isUnder(uri, offset, skippedAlways);
  }

  private static boolean isUnder(String uri, int offset, String[] prefixes) {
    int length = uri.length() - offset;
    for (String prefix : prefixes) {
      int p = prefix.length();
      if (uri.startsWith(prefix, offset) && (length == p || uri.charAt(offset + p) == '/')) {
        return true;
      }
    }
    return false;
  }

  static int status(HttpServletResponse response) {
    try {
      return response.getStatus();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * The status of a request whose client went away: what was sent if the response was committed,
   * else {@link ClientGone#STATUS}, whatever 5xx the container set in reaction to the abort (an
   * abandoned body must never fire the 5xx alerts).
   */
  static int goneStatus(HttpServletResponse response) {
    int status = status(response);
    boolean committed;
    try {
      committed = response.isCommitted();
    } catch (RuntimeException e) {
      committed = false;
    }
    return committed && status < 500 ? status : ClientGone.STATUS;
  }

  /** The simple class name of the root cause a ServletException wraps, else of the failure. */
  static String errorType(Throwable failure) {
    Throwable t = failure;
    if (t instanceof ServletException servletException && servletException.getRootCause() != null) {
      t = servletException.getRootCause();
    }
    String name = t.getClass().getSimpleName();
    return name.isEmpty() ? t.getClass().getName() : name;
  }

  /** Every path of {@link ServletPaths} but chat and predict, which are traffic like any other. */
  private static List<String> skippedByDefault() {
    Set<String> paths = new LinkedHashSet<>();
    for (List<String> group : List.of(ServletPaths.METRICS, ServletPaths.PROBES)) {
      for (String mapping : group) {
        String path = mapping.endsWith("/*") ? mapping.substring(0, mapping.length() - 2) : mapping;
        // "/livez" already covers "/livez/": everything under a skipped path is skipped.
        paths.add(
            path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
      }
    }
    paths.add(ServletPaths.STATUS_PAGE);
    return List.copyOf(paths);
  }

  /** The paths this filter skips, for diagnostics. */
  public List<String> skippedPaths() {
    return new ArrayList<>(List.of(skipped));
  }
}
