package dev.inferwatch.servlet.scrape;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code /metrics/docs} page: a markdown catalogue of the families registered right now,
 * grouped by {@link MetricCategory}, with type, labels, series count and help, and curl examples.
 */
final class MetricsDocs {

  private MetricsDocs() {}

  /** The catalogue of {@code iw}'s registry; {@code base} is the URL the servlet is reached at. */
  static String of(Inferwatch iw, String base) {
    MetricCategory.Context context = new MetricCategory.Context(iw);
    Map<MetricCategory, List<MetricSnapshot>> byCategory = new EnumMap<>(MetricCategory.class);
    List<MetricSnapshot> other = new ArrayList<>();
    for (MetricSnapshot snapshot : iw.registry().scrape()) {
      MetricCategory category = MetricCategory.of(snapshot, context);
      if (category == null) {
        other.add(snapshot);
      } else {
        byCategory.computeIfAbsent(category, c -> new ArrayList<>()).add(snapshot);
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("# Metrics catalogue");
    if (iw.service() != null) {
      md.append(" — ").append(escape(iw.service()));
    }
    md.append("\n\nGenerated from the live registry. Every family carries the const labels ")
        .append("`service` and `env` when configured.\n\n## Endpoints\n\n```sh\n");
    md.append("curl -s ")
        .append(base)
        .append("/metrics                # everything, Prometheus text\n");
    md.append("curl -s -H 'Accept: application/openmetrics-text' ")
        .append(base)
        .append("/metrics/providers\n");
    for (MetricCategory category : MetricCategory.values()) {
      md.append("curl -s ").append(base).append("/metrics/").append(category.path()).append('\n');
    }
    md.append("curl -s ").append(base).append("/metrics.json | jq .providers\n```\n");
    for (Map.Entry<MetricCategory, List<MetricSnapshot>> e : byCategory.entrySet()) {
      section(md, e.getKey().path(), e.getValue());
    }
    if (!other.isEmpty()) {
      section(md, "other", other);
    }
    return md.toString();
  }

  private static void section(StringBuilder md, String title, List<MetricSnapshot> snapshots) {
    md.append("\n## ").append(title).append("\n\n");
    md.append("| family | type | labels | series | help |\n|---|---|---|---|---|\n");
    for (MetricSnapshot snapshot : snapshots) {
      TreeSet<String> labels = new TreeSet<>();
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        for (Label label : point.getLabels()) {
          if (!"service".equals(label.getName()) && !"env".equals(label.getName())) {
            labels.add(label.getName());
          }
        }
      }
      md.append("| `")
          .append(MetricCategory.exposedName(snapshot))
          .append("` | ")
          .append(type(snapshot))
          .append(" | ")
          .append(String.join(", ", labels))
          .append(" | ")
          .append(snapshot.getDataPoints().size())
          .append(" | ")
          .append(escape(snapshot.getMetadata().getHelp()))
          .append(" |\n");
    }
  }

  private static String type(MetricSnapshot snapshot) {
    if (snapshot instanceof CounterSnapshot) {
      return "counter";
    }
    if (snapshot instanceof GaugeSnapshot) {
      return "gauge";
    }
    if (snapshot instanceof HistogramSnapshot) {
      return "histogram";
    }
    if (snapshot instanceof StateSetSnapshot) {
      return "stateset";
    }
    if (snapshot instanceof InfoSnapshot) {
      return "info";
    }
    if (snapshot instanceof SummarySnapshot) {
      return "summary";
    }
    return "unknown";
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
