package dev.inferwatch.servlet.scrape;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Snapshots;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
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
 *   models      model_*, executor_*, application_errors_total  (except the two provider-owned model_*)
 *   providers   provider_*, model_uptime_24h_ratio, model_token_efficiency, anomalies_detected_total,
 *               trials_active, router_fallthrough_total
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

  // The router's families beside provider_*: two of them are named model_* but belong here.
  private static final Set<String> PROVIDER_FAMILIES =
      Set.of(
          MetricNames.MODEL_UPTIME,
          MetricNames.MODEL_TOKEN_EFFICIENCY,
          MetricNames.ANOMALIES,
          MetricNames.TRIALS_ACTIVE,
          MetricNames.ROUTER_FALLTHROUGH);

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
    return switch (this) {
      case ALL -> true;
      case SYSTEM -> name.startsWith("jvm_") || name.startsWith("process_");
      case HTTP -> name.startsWith("http_");
      case MODELS ->
          (name.startsWith("model_") && !isProviderFamily(name))
              || name.startsWith("executor_")
              || name.equals(MetricNames.APPLICATION_ERRORS);
      case PROVIDERS -> isProviderFamily(name);
      case LLM -> name.startsWith("gen_ai_");
      case GPU -> name.startsWith("gpu_");
      case BUSINESS -> context.business.contains(stripTotal(name));
      case PERFORMANCE -> snapshot instanceof HistogramSnapshot && name.endsWith("_seconds");
    };
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
    return Snapshots.exposedName(snapshot);
  }

  private static boolean isProviderFamily(String name) {
    return name.startsWith("provider_") || PROVIDER_FAMILIES.contains(name);
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
