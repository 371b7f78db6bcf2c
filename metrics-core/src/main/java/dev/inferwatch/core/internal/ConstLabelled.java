package dev.inferwatch.core.internal;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The families of a private registry, exposed in another one with constant labels added to every
 * point.
 *
 * <p>client_java's JVM collectors take no constant labels in 1.3 and 1.4, which Spring Boot 3.5 and
 * 4.0 manage. Registering them into a registry of their own and relabelling each scrape gives the
 * same exposition on every client_java from 1.3 on, through constructors all of them have. The JVM
 * collectors produce counters, gauges, one summary and one info; a family of another type (a
 * histogram, a state set) passes through without the labels.
 */
final class ConstLabelled implements MultiCollector {

  private final PrometheusRegistry source;
  private final Labels constLabels;
  private final List<String> names;

  ConstLabelled(PrometheusRegistry source, Labels constLabels) {
    this.source = source;
    this.constLabels = constLabels;
    List<String> found = new ArrayList<>();
    for (MetricSnapshot snapshot : source.scrape()) {
      found.add(snapshot.getMetadata().getPrometheusName());
    }
    // Names known up front, so that the target registry refuses a second owner of a family.
    this.names = List.copyOf(found);
  }

  @Override
  public MetricSnapshots collect() {
    MetricSnapshots scraped = source.scrape();
    if (constLabels.isEmpty()) {
      return scraped;
    }
    List<MetricSnapshot> labelled = new ArrayList<>(scraped.size());
    for (MetricSnapshot snapshot : scraped) {
      labelled.add(relabel(snapshot));
    }
    return new MetricSnapshots(labelled);
  }

  @Override
  public List<String> getPrometheusNames() {
    return names;
  }

  private MetricSnapshot relabel(MetricSnapshot snapshot) {
    if (snapshot instanceof CounterSnapshot counter) {
      List<CounterDataPointSnapshot> points = new ArrayList<>();
      for (CounterDataPointSnapshot p : counter.getDataPoints()) {
        points.add(
            new CounterDataPointSnapshot(
                p.getValue(),
                labels(p.getLabels()),
                p.getExemplar(),
                p.getCreatedTimestampMillis(),
                p.getScrapeTimestampMillis()));
      }
      return new CounterSnapshot(counter.getMetadata(), points);
    }
    if (snapshot instanceof GaugeSnapshot gauge) {
      List<GaugeDataPointSnapshot> points = new ArrayList<>();
      for (GaugeDataPointSnapshot p : gauge.getDataPoints()) {
        points.add(
            new GaugeDataPointSnapshot(
                p.getValue(),
                labels(p.getLabels()),
                p.getExemplar(),
                p.getScrapeTimestampMillis()));
      }
      return new GaugeSnapshot(gauge.getMetadata(), points);
    }
    if (snapshot instanceof SummarySnapshot summary) {
      List<SummaryDataPointSnapshot> points = new ArrayList<>();
      for (SummaryDataPointSnapshot p : summary.getDataPoints()) {
        points.add(
            new SummaryDataPointSnapshot(
                p.getCount(),
                p.getSum(),
                p.getQuantiles(),
                labels(p.getLabels()),
                p.getExemplars(),
                p.getCreatedTimestampMillis(),
                p.getScrapeTimestampMillis()));
      }
      return new SummarySnapshot(summary.getMetadata(), points);
    }
    if (snapshot instanceof InfoSnapshot info) {
      List<InfoDataPointSnapshot> points = new ArrayList<>();
      for (InfoDataPointSnapshot p : info.getDataPoints()) {
        points.add(new InfoDataPointSnapshot(labels(p.getLabels()), p.getScrapeTimestampMillis()));
      }
      return new InfoSnapshot(info.getMetadata(), points);
    }
    if (snapshot instanceof UnknownSnapshot unknown) {
      List<UnknownDataPointSnapshot> points = new ArrayList<>();
      for (UnknownDataPointSnapshot p : unknown.getDataPoints()) {
        points.add(
            new UnknownDataPointSnapshot(
                p.getValue(),
                labels(p.getLabels()),
                p.getExemplar(),
                p.getScrapeTimestampMillis()));
      }
      return new UnknownSnapshot(unknown.getMetadata(), points);
    }
    return snapshot;
  }

  private Labels labels(Labels own) {
    return own.merge(constLabels);
  }
}
