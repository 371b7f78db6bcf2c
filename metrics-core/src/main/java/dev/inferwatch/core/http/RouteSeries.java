package dev.inferwatch.core.http;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bound HTTP series of one route: per method, a small immutable table of status codes and their
 * data points, so a request costs one volatile read and a scan of a few ints.
 */
final class RouteSeries {

  final String route;
  final boolean overflow;
  private final HttpMetrics metrics;
  private final AtomicReferenceArray<StatusTable> byMethod =
      new AtomicReferenceArray<>(HttpMethod.all().length);

  RouteSeries(HttpMetrics metrics, String route, boolean overflow) {
    this.metrics = metrics;
    this.route = route;
    this.overflow = overflow;
  }

  /** Records one request; {@code exemplar} (trace labels) is null unless captured elsewhere. */
  void record(HttpMethod method, int status, double seconds, Labels exemplar) {
    StatusTable table = byMethod.get(method.ordinal());
    int i = table == null ? -1 : table.indexOf(status);
    if (i < 0) {
      i = bind(method, status);
      table = byMethod.get(method.ordinal());
    }
    table.counts[i].inc();
    if (exemplar == null) {
      table.durations[i].observe(seconds);
    } else {
      table.durations[i].observeWithExemplar(seconds, exemplar);
    }
  }

  /** Adds {@code status} to the method's table (copy-on-write; runs once per new combination). */
  private synchronized int bind(HttpMethod method, int status) {
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
