package dev.inferwatch.core.http;

import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server families (OpenTelemetry {@code http.server.*}), recorded by the servlet filter.
 *
 * <p>The hot path is {@link #started} then {@link #finished}: after warm-up a request costs one
 * volatile read of the route's bound series, a scan of its few status codes, two {@code LongAdder}
 * updates, a counter increment and a histogram observation. Our code allocates nothing; client_java
 * allocates 32 B per observation while native histograms are on (benchmarks/RESULTS.md).
 *
 * <pre>{@code
 * HttpMethod method = HttpMethod.of(request.getMethod());
 * Route route = iw.routes().normalize(path);
 * long start = System.nanoTime();
 * iw.http().started(method);
 * ... // handle the request
 * iw.http().finished(method, route, status, System.nanoTime() - start);
 * }</pre>
 */
public final class HttpMetrics {

  private static final int MAX_ERROR_TYPES = 50;
  private static final String[] STATUS_LABELS = new String[1000];

  static {
    for (int i = 100; i < STATUS_LABELS.length; i++) {
      STATUS_LABELS[i] = Integer.toString(i).intern();
    }
  }

  final Counter requests;
  final Histogram duration;
  private final Counter errors;
  private final Counter disconnects;
  // In-flight counts as LongAdders read by a callback gauge: every request changes them twice, and
  // a Gauge data point's CAS on one shared word cost 15% of the filter's own time under load
  // (JFR, benchmarks/ThroughputRatio, 2 cores).
  private final LongAdder[] active;
  private final InternalErrors internalErrors;
  private final CounterDataPoint routeOverflows;
  private final LabelGuard errorTypes;
  private final int maxRoutes;
  private final Map<String, RouteSeries> admitted = new ConcurrentHashMap<>();
  private final RouteSeries overflow;
  private final RouteSeries unmatched;
  private final RouteSeries rejected;
  private final QueueTimes queue;
  private volatile String arrivalSource;

  /** Registers the families; built by {@code Inferwatch}, not by applications. */
  public HttpMetrics(
      Naming names,
      PrometheusRegistry registry,
      Cardinality cardinality,
      InternalErrors internalErrors,
      int maxRoutes) {
    this.internalErrors = internalErrors;
    this.maxRoutes = maxRoutes;
    this.requests =
        Counter.builder()
            .name(names.name(MetricNames.HTTP_REQUESTS))
            .help("HTTP requests served, by method, route and status")
            .labelNames("method", "route", "status")
            .constLabels(names.constLabels())
            .register(registry);
    this.duration =
        Histogram.builder()
            .name(names.name(MetricNames.HTTP_DURATION))
            .help("Duration of HTTP server requests, until the response completed")
            .labelNames("method", "route", "status")
            .classicUpperBounds(Buckets.HTTP_SECONDS)
            .constLabels(names.constLabels())
            .register(registry);
    HttpMethod[] methods = HttpMethod.all();
    this.active = new LongAdder[methods.length];
    for (HttpMethod method : methods) {
      active[method.ordinal()] = new LongAdder();
    }
    GaugeWithCallback.builder()
        .name(names.name(MetricNames.HTTP_ACTIVE))
        .help("HTTP requests in flight, including async requests and open streams")
        .labelNames("method")
        .constLabels(names.constLabels())
        .callback(
            gauge -> {
              for (HttpMethod method : methods) {
                gauge.call(active[method.ordinal()].sum(), method.name());
              }
            })
        .register(registry);
    this.errors =
        Counter.builder()
            .name(names.name(MetricNames.HTTP_ERRORS))
            .help("HTTP requests that failed: 5xx status or exception, by error type")
            .labelNames("route", "error_type")
            .constLabels(names.constLabels())
            .register(registry);
    this.disconnects =
        Counter.builder()
            .name(names.name(MetricNames.HTTP_DISCONNECTS))
            .help("HTTP requests whose client went away before the response completed")
            .labelNames("route")
            .constLabels(names.constLabels())
            .register(registry);
    this.routeOverflows = cardinality.overflows(MetricNames.HTTP_REQUESTS);
    this.errorTypes = cardinality.guard(MetricNames.HTTP_ERRORS, MAX_ERROR_TYPES);
    this.overflow = new RouteSeries(this, RouteNormalizer.OVERFLOW, true);
    this.unmatched = new RouteSeries(this, RouteNormalizer.UNMATCHED, false);
    this.rejected = new RouteSeries(this, RouteNormalizer.REJECTED, false);
    this.queue = new QueueTimes(names, registry);
  }

  /** Marks a request of {@code method} as in flight; pair with exactly one {@link #finished}. */
  public void started(HttpMethod method) {
    try {
      active[method.ordinal()].increment();
    } catch (RuntimeException e) {
      internalErrors.record("http.started", e);
    }
  }

  /**
   * Records a completed request and takes it out of flight. A 404 on a route no template matched is
   * recorded as {@code __unmatched__}; routes past the cap as {@code __overflow__}.
   */
  public void finished(HttpMethod method, Route route, int status, long durationNanos) {
    finished(method, route, status, durationNanos, null);
  }

  /**
   * As {@link #finished(HttpMethod, Route, int, long)}, with the trace {@code exemplar} captured
   * while the request's span was current (for completions recorded on another thread); null lets
   * client_java sample the current span itself.
   */
  public void finished(
      HttpMethod method, Route route, int status, long durationNanos, Labels exemplar) {
    try {
      active[method.ordinal()].decrement();
      RouteSeries series = seriesFor(route, status);
      if (series.overflow) {
        routeOverflows.inc();
      }
      series.record(method, status, durationNanos / 1e9, exemplar);
    } catch (RuntimeException e) {
      internalErrors.record("http.finished", e);
    }
  }

  /**
   * Records how long a request waited between its arrival at the container and the filter, in
   * {@code http_server_request_queue_duration_seconds}.
   */
  public void queued(HttpMethod method, long waitNanos) {
    try {
      queue.record(method, Math.max(0, waitNanos) / 1e9);
    } catch (RuntimeException e) {
      internalErrors.record("http.queued", e);
    }
  }

  /**
   * Records a request the container refused before any filter saw it (bad percent-encoding, an
   * ambiguous path) under the route {@value RouteNormalizer#REJECTED}; it was never in flight.
   */
  public void rejected(HttpMethod method, int status, long durationNanos) {
    try {
      rejected.record(method, status, Math.max(0, durationNanos) / 1e9, null);
      if (status >= 500) {
        errors.labelValues(rejected.route, errorTypes.guard(statusLabel(status))).inc();
      }
    } catch (RuntimeException e) {
      internalErrors.record("http.rejected", e);
    }
  }

  /**
   * Declares that durations run from the request's arrival at the container, as {@code source}
   * (such as {@code "Jetty 12 request begin time"}) reports it; called by the container adapters.
   */
  public void timedFromArrival(String source) {
    this.arrivalSource = source;
  }

  /** What durations are measured from: the adapter's source, or null for filter entry. */
  public String arrivalSource() {
    return arrivalSource;
  }

  /** Counts a failed request: {@code errorType} is an exception's simple name, or the status. */
  public void failed(Route route, int status, String errorType) {
    try {
      String type = errorType != null ? errorType : statusLabel(status);
      errors.labelValues(seriesFor(route, status).route, errorTypes.guard(type)).inc();
    } catch (RuntimeException e) {
      internalErrors.record("http.failed", e);
    }
  }

  /** Counts a request whose client went away before the response completed. */
  public void disconnected(Route route, int status) {
    try {
      disconnects.labelValues(seriesFor(route, status).route).inc();
    } catch (RuntimeException e) {
      internalErrors.record("http.disconnected", e);
    }
  }

  /** Requests in flight for {@code method}; exact, for tests and the JSON snapshot. */
  public long active(HttpMethod method) {
    return active[method.ordinal()].sum();
  }

  /** Distinct route label values admitted so far (not counting overflow and unmatched). */
  public int admittedRoutes() {
    return admitted.size();
  }

  private RouteSeries seriesFor(Route route, int status) {
    if (status == 404 && !route.templated()) {
      return unmatched;
    }
    Object bound = route.series;
    if (bound != null) {
      return (RouteSeries) bound;
    }
    RouteSeries series = admitted.get(route.name());
    if (series == null) {
      series =
          admitted.size() < maxRoutes
              ? admitted.computeIfAbsent(route.name(), name -> new RouteSeries(this, name, false))
              : overflow;
    }
    route.series = series;
    return series;
  }

  static String statusLabel(int status) {
    return status >= 100 && status < STATUS_LABELS.length ? STATUS_LABELS[status] : "0";
  }
}
