package dev.inferwatch.core;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.http.RouteNormalizer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where Inferwatch reads its {@code INFERWATCH_*} settings from.
 *
 * <p>A key such as {@code SERVICE} is looked up as the system property {@code inferwatch.service}
 * first, then the environment variable {@code INFERWATCH_SERVICE}. The servlet drop-in layers
 * servlet context parameters on top.
 *
 * <pre>{@code
 * Settings settings = Settings.fromEnvironment();
 * String service = settings.get("SERVICE"); // INFERWATCH_SERVICE or -Dinferwatch.service
 * }</pre>
 */
public final class Settings {

  private final UnaryOperator<String> lookup;

  private Settings(UnaryOperator<String> lookup) {
    this.lookup = lookup;
  }

  /** System properties {@code inferwatch.*} over environment variables {@code INFERWATCH_*}. */
  public static Settings fromEnvironment() {
    return of(System.getenv(), System::getProperty);
  }

  /** The same precedence over explicit maps, for tests and embedding. */
  public static Settings of(Map<String, String> environment, UnaryOperator<String> properties) {
    return new Settings(
        key -> {
          String value = properties.apply("inferwatch." + key.toLowerCase(Locale.ROOT));
          return value != null ? value : environment.get("INFERWATCH_" + key);
        });
  }

  /** Settings that consult {@code primary} first and fall back to these. */
  public Settings overriddenBy(UnaryOperator<String> primary) {
    return new Settings(
        key -> {
          String value = primary.apply(key);
          return value != null ? value : lookup.apply(key);
        });
  }

  /**
   * The trimmed value of {@code key} (without the {@code INFERWATCH_} prefix), or {@code null} when
   * unset or blank.
   */
  public String get(String key) {
    String value = lookup.apply(key);
    if (value == null) {
      return null;
    }
    value = value.trim();
    return value.isEmpty() ? null : value;
  }

  /** The value of {@code key}, or {@code fallback} when unset. */
  public String get(String key, String fallback) {
    String value = get(key);
    return value != null ? value : fallback;
  }

  /**
   * The integer value of {@code key}; a malformed value is reported with the key in the message.
   */
  public int getInt(String key, int fallback) {
    String value = get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "INFERWATCH_" + key + " must be an integer, got '" + value + "'", e);
    }
  }

  /** Applies every setting the builder knows to {@code builder}; see {@link Inferwatch.Builder}. */
  void applyTo(Inferwatch.Builder builder) {
    ifSet("SERVICE", builder::service);
    ifSet("ENV", builder::environment);
    ifSet("NAMESPACE", builder::namespace);
    ifSet("APP_VERSION", builder::appVersion);
    ifSet("METRICS_HOST", builder::metricsHost);
    ifSet("EVENTS_PATH", path -> builder.eventsPath(Path.of(path)));
    if (get("METRICS_PORT") != null) {
      builder.metricsPort(getInt("METRICS_PORT", -1));
    }
    if (get("EVENTS_CAPACITY") != null) {
      builder.eventsCapacity(getInt("EVENTS_CAPACITY", EventJournal.DEFAULT_CAPACITY));
    }
    if (get("MAX_ROUTES") != null) {
      int maxRoutes = getInt("MAX_ROUTES", RouteNormalizer.DEFAULT_MAX_ROUTES);
      builder.routes(r -> r.maxRoutes(maxRoutes));
    }
  }

  private void ifSet(String key, Consumer<String> apply) {
    String value = get(key);
    if (value != null) {
      apply.accept(value);
    }
  }

  /** The boolean value of {@code key}: {@code true/false/yes/no/on/off/1/0}. */
  public boolean getBoolean(String key, boolean fallback) {
    String value = get(key);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default ->
          throw new IllegalArgumentException(
              "INFERWATCH_" + key + " must be true or false, got '" + value + "'");
    };
  }
}
