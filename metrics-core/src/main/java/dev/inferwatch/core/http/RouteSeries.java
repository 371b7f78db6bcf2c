package dev.inferwatch.core.http;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bound HTTP series of one route: per method, a small immutable table of status codes and their
 * data points, so a request costs one volatile read and a scan of a few ints.
 *
 * <p>A fold retires a series ({@link #forwardTo}) while other threads may still hold it. Everything
 * that creates a data point for this route runs under this series' lock and checks {@link
 * #successor} first, so a retired route never comes back into the exposition; its first request per
 * method and status is counted under the same lock, so the fold's copy of the counts includes it.
 */
final class RouteSeries {

  final String route;
  final boolean overflow;
  final boolean known;

  /**
   * Where this route's requests go once a fold merged it into another ({@code /users/alice} into
   * {@code /users/{param}}); requests that resolved their route before the fold follow it.
   */
  volatile RouteSeries successor;

  private final HttpMetrics metrics;
  private final AtomicReferenceArray<StatusTable> byMethod =
      new AtomicReferenceArray<>(HttpMethod.all().length);

  RouteSeries(HttpMetrics metrics, String route, boolean overflow, boolean known) {
    this.metrics = metrics;
    this.route = route;
    this.overflow = overflow;
    this.known = known;
  }

  /** Records one request; {@code exemplar} (trace labels) is null unless captured elsewhere. */
  void record(HttpMethod method, int status, double seconds, Labels exemplar) {
    StatusTable table = byMethod.get(method.ordinal());
    int i = table == null ? -1 : table.indexOf(status);
    if (i < 0) {
      RouteSeries target = recordFirst(method, status, seconds, exemplar);
      if (target != null) {
        target.record(method, status, seconds, exemplar);
      }
      return;
    }
    observe(table, i, seconds, exemplar);
  }

  /** Counts an error of {@code errorType} on this route, or on its successor once it is retired. */
  void failed(String errorType) {
    RouteSeries target;
    synchronized (this) {
      target = successor;
      if (target == null) {
        metrics.errors.labelValues(route, errorType).inc();
        return;
      }
    }
    target.failed(errorType);
  }

  /** Counts a client that went away, on this route or on its successor once it is retired. */
  void disconnected() {
    RouteSeries target;
    synchronized (this) {
      target = successor;
      if (target == null) {
        metrics.disconnects.labelValues(route).inc();
        return;
      }
    }
    target.disconnected();
  }

  /**
   * Retires this series: from now on its requests go to {@code target}. Under the lock, so no data
   * point of this route is created after the caller copies and removes them.
   */
  synchronized void forwardTo(RouteSeries target) {
    successor = target;
  }

  /**
   * Binds and records the first request of a method and status; returns the successor to record
   * into instead when this series is retired.
   */
  private synchronized RouteSeries recordFirst(
      HttpMethod method, int status, double seconds, Labels exemplar) {
    if (successor != null) {
      return successor;
    }
    int i = bind(method, status);
    observe(byMethod.get(method.ordinal()), i, seconds, exemplar);
    return null;
  }

  private void observe(StatusTable table, int i, double seconds, Labels exemplar) {
    table.counts[i].inc();
    if (exemplar == null) {
      table.durations[i].observe(seconds);
    } else {
      table.durations[i].observeWithExemplar(seconds, exemplar);
    }
  }

  /** Adds {@code status} to the method's table (copy-on-write; runs once per new combination). */
  private int bind(HttpMethod method, int status) {
    StatusTable old = byMethod.get(method.ordinal());
    int n = old == null ? 0 : old.statuses.length;
    for (int i = 0; i < n; i++) {
      if (old.statuses[i] == status) {
        return i;
      }
    }
    int[] statuses = new int[n + 1];
    CounterDataPoint[] counts = new CounterDataPoint[n + 1];
    DistributionDataPoint[] durations = new DistributionDataPoint[n + 1];
    if (old != null) {
      System.arraycopy(old.statuses, 0, statuses, 0, n);
      System.arraycopy(old.counts, 0, counts, 0, n);
      System.arraycopy(old.durations, 0, durations, 0, n);
    }
    String statusLabel = HttpMetrics.statusLabel(status);
    statuses[n] = status;
    counts[n] = metrics.requests.labelValues(method.name(), route, statusLabel);
    durations[n] = metrics.duration.labelValues(method.name(), route, statusLabel);
    byMethod.set(method.ordinal(), new StatusTable(statuses, counts, durations));
    return n;
  }

  private static final class StatusTable {
    final int[] statuses;
    final CounterDataPoint[] counts;
    final DistributionDataPoint[] durations;

    StatusTable(int[] statuses, CounterDataPoint[] counts, DistributionDataPoint[] durations) {
      this.statuses = statuses;
      this.counts = counts;
      this.durations = durations;
    }

    int indexOf(int status) {
      for (int i = 0; i < statuses.length; i++) {
        if (statuses[i] == status) {
          return i;
        }
      }
      return -1;
    }
  }
}
