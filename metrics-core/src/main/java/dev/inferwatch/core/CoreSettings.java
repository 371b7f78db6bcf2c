package dev.inferwatch.core;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.http.RouteNormalizer;
import dev.inferwatch.core.internal.auth.Access;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The {@code INFERWATCH_*} settings of the facade itself, each with what it allows, applied to an
 * {@link Inferwatch.Builder} through the one parser of {@link Settings}.
 */
final class CoreSettings {

  static final int MAX_ROUTES_LIMIT = 100_000;
  static final int FANOUT_LIMIT = 10_000;
  static final int EVENTS_CAPACITY_LIMIT = 1_000_000;

  private static final String LABEL = "not a non-blank value of printable characters";

  private final Settings settings;

  CoreSettings(Settings settings) {
    this.settings = settings;
  }

  void applyTo(Inferwatch.Builder builder) {
    settings.apply("SERVICE", Function.identity(), builder::service, LABEL);
    settings.apply("ENV", Function.identity(), builder::environment, LABEL);
    settings.apply("APP_VERSION", Function.identity(), builder::appVersion, LABEL);
    settings.apply(
        "NAMESPACE",
        Function.identity(),
        builder::namespace,
        "not a metric-name prefix (letters, digits and '_', not starting with a digit)");
    settings.apply(
        "METRICS_HOST", Function.identity(), builder::metricsHost, "not a host name or IP address");
    settings.apply("EVENTS_PATH", Path::of, builder::eventsPath, "not a file path");
    if (settings.get("METRICS_PORT") != null) {
      builder.metricsPort(settings.getInt("METRICS_PORT", -1, 0, 65_535));
    }
    if (settings.get("EVENTS_CAPACITY") != null) {
      builder.eventsCapacity(
          settings.getInt(
              "EVENTS_CAPACITY", EventJournal.DEFAULT_CAPACITY, 1, EVENTS_CAPACITY_LIMIT));
    }
    if (settings.get("MAX_ROUTES") != null) {
      int maxRoutes =
          settings.getInt("MAX_ROUTES", RouteNormalizer.DEFAULT_MAX_ROUTES, 1, MAX_ROUTES_LIMIT);
      builder.routes(r -> r.maxRoutes(maxRoutes));
    }
    if (settings.get("ROUTE_FANOUT") != null) {
      int fanout = settings.getInt("ROUTE_FANOUT", RouteNormalizer.DEFAULT_FANOUT, 1, FANOUT_LIMIT);
      builder.routes(r -> r.fanout(fanout));
    }
    credentials(builder);
  }

  private void credentials(Inferwatch.Builder builder) {
    Access access = Access.fromSettings(settings);
    if (access != Access.open()) {
      builder.access(access);
    }
  }
}
