package dev.inferwatch.core.http;

import dev.inferwatch.core.events.EventJournal;
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
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
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
  final Counter errors;
  final Counter disconnects;
  // In-flight counts as LongAdders read by a callback gauge: every request changes them twice, and
  // a Gauge data point's CAS on one shared word cost 15% of the filter's own time under load
  // (JFR, benchmarks/ThroughputRatio, 2 cores).
  private final LongAdder[] active;
  private final InternalErrors internalErrors;
  private final CounterDataPoint routeOverflows;
  private final LabelGuard errorTypes;
  private final RouteTable table;
  private final RouteSeries rejected;
  private final QueueTimes queue;
  private volatile String arrivalSource;

  /** Registers the families; built by {@code Inferwatch}, not by applications. */
  public HttpMetrics(
      Naming names,
      PrometheusRegistry registry,
      Cardinality cardinality,
      InternalErrors internalErrors,
      RouteNormalizer routes,
      EventJournal events) {
    this.internalErrors = internalErrors;
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
    this.table = new RouteTable(this, routes, events);
    this.rejected = new RouteSeries(this, RouteNormalizer.REJECTED, false, true);
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
   * Records a completed request and takes it out of flight. An error on a path that no known or
   * admitted route covers is recorded as {@code __unmatched__}; dynamic routes past the cap as
   * {@code __overflow__} (see {@link RouteNormalizer}).
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
      seriesFor(route, status).failed(errorTypes.guard(type));
    } catch (RuntimeException e) {
      internalErrors.record("http.failed", e);
    }
  }

  /** Counts a request whose client went away before the response completed. */
  public void disconnected(Route route, int status) {
    try {
      seriesFor(route, status).disconnected();
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
    return table.size();
  }

  /** Dynamic route label values admitted so far: the ones the route cap bounds. */
  public int dynamicRoutes() {
    return table.dynamic();
  }

  private RouteSeries seriesFor(Route route, int status) {
    return table.seriesFor(route, status);
  }

  /**
   * Takes a route merged away by a fold out of the exposition. Its counts move to {@code into}, so
   * every counter total stays exact; its latency observations are dropped (histograms cannot be
   * merged through client_java's API), at most those of {@code fanout} children before their fold.
   */
  void retire(String route, String into) {
    for (CounterDataPointSnapshot point : requests.collect().getDataPoints()) {
      Labels labels = point.getLabels();
      if (route.equals(labels.get("route"))) {
        requests
            .labelValues(labels.get("method"), into, labels.get("status"))
            .inc(point.getValue());
      }
    }
    for (CounterDataPointSnapshot point : errors.collect().getDataPoints()) {
      if (route.equals(point.getLabels().get("route"))) {
        errors.labelValues(into, point.getLabels().get("error_type")).inc(point.getValue());
      }
    }
    for (CounterDataPointSnapshot point : disconnects.collect().getDataPoints()) {
      if (route.equals(point.getLabels().get("route"))) {
        disconnects.labelValues(into).inc(point.getValue());
      }
    }
    requests.removeIf(labels -> route.equals(labels.get(1)));
    duration.removeIf(labels -> route.equals(labels.get(1)));
    errors.removeIf(labels -> route.equals(labels.get(0)));
    disconnects.removeIf(labels -> route.equals(labels.get(0)));
  }

  static String statusLabel(int status) {
    return status >= 100 && status < STATUS_LABELS.length ? STATUS_LABELS[status] : "0";
  }
}
