package dev.inferwatch.servlet;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The views {@code /metrics/{category}} serves, decided by the family name as exposed (namespace
 * stripped). One table, so the status page, the docs and the endpoints agree:
 *
 * <pre>
 *   system      jvm_*, process_*
 *   http        http_*
 *   models      model_*, executor_*, application_errors*   (except the two provider-owned model_*)
 *   providers   provider_*, model_uptime_24h*, model_token_efficiency*, anomalies_*, trials_*, router_*
 *   llm         gen_ai_*
 *   gpu         gpu_*
 *   business    families defined through iw.business()
 *   performance every histogram whose name ends in _seconds
 *   all         everything
 * </pre>
 */
enum MetricCategory {
  ALL,
  SYSTEM,
  HTTP,
  MODELS,
  PROVIDERS,
  LLM,
  GPU,
  BUSINESS,
  PERFORMANCE;

  private static final String[] PROVIDER_PREFIXES = {
    "provider_", "model_uptime_24h", "model_token_efficiency", "anomalies_", "trials_", "router_"
  };

  /** The category called {@code name} (case-insensitive), or null. */
  static MetricCategory named(String name) {
    for (MetricCategory c : values()) {
      if (c.name().toLowerCase(Locale.ROOT).equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** Every view's path, such as {@code /metrics/providers}, for error messages. */
  static String paths() {
    StringBuilder paths = new StringBuilder();
    for (MetricCategory c : values()) {
      paths.append(paths.length() == 0 ? "" : ", ").append("/metrics/").append(c.path());
    }
    return paths.toString();
  }

  /** The path segment, such as {@code providers}. */
  String path() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether {@code snapshot} belongs here; {@code context} knows the namespace and business set.
   */
  boolean includes(MetricSnapshot snapshot, Context context) {
    String name = context.baseName(snapshot);
    switch (this) {
      case ALL:
        return true;
      case SYSTEM:
        return name.startsWith("jvm_") || name.startsWith("process_");
      case HTTP:
        return name.startsWith("http_");
      case MODELS:
        return (name.startsWith("model_") && !startsWithAny(name, PROVIDER_PREFIXES))
            || name.startsWith("executor_")
            || name.startsWith("application_errors");
      case PROVIDERS:
        return startsWithAny(name, PROVIDER_PREFIXES);
      case LLM:
        return name.startsWith("gen_ai_");
      case GPU:
        return name.startsWith("gpu_");
      case BUSINESS:
        return context.business.contains(stripTotal(name));
      case PERFORMANCE:
        return snapshot instanceof HistogramSnapshot && name.endsWith("_seconds");
      default:
        return false;
    }
  }

  /** The first category other than {@link #ALL} that {@code snapshot} belongs to, or null. */
  static MetricCategory of(MetricSnapshot snapshot, Context context) {
    for (MetricCategory c : values()) {
      if (c != ALL && c != PERFORMANCE && c.includes(snapshot, context)) {
        return c;
      }
    }
    return null;
  }

  /** The family name as a scrape shows it: {@code _total} on counters, {@code _info} on infos. */
  static String exposedName(MetricSnapshot snapshot) {
    String name = snapshot.getMetadata().getPrometheusName();
    if (snapshot instanceof CounterSnapshot) {
      return name + "_total";
    }
    if (snapshot instanceof InfoSnapshot) {
      return name + "_info";
    }
    return name;
  }

  private static boolean startsWithAny(String name, String[] prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String stripTotal(String name) {
    return name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
  }

  /** What a category decision needs from the live instance, gathered once per request. */
  static final class Context {
    private final String prefix;
    private final Set<String> business = new HashSet<>();

    Context(Inferwatch iw) {
      this.prefix = iw.namespace() == null ? "" : iw.namespace() + "_";
      for (String name : iw.business().definedNames()) {
        business.add(stripTotal(name));
      }
    }

    /** The exposed name without the namespace prefix. */
    String baseName(MetricSnapshot snapshot) {
      String name = exposedName(snapshot);
      return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }
  }
}
