package dev.inferwatch.core;

import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where Inferwatch reads its {@code INFERWATCH_*} settings from, and the one parser every setting
 * goes through.
 *
 * <p>A key such as {@code SERVICE} is looked up as the system property {@code inferwatch.service}
 * first, then the environment variable {@code INFERWATCH_SERVICE}. The servlet drop-in layers
 * servlet context parameters on top. A value that cannot be used stops start-up with a {@link
 * SettingsException} whose message names the variable, the value and what is allowed, the same way
 * for every setting: {@code INFERWATCH_MAX_ROUTES=abc: not an integer between 1 and 100000}.
 *
 * <pre>{@code
 * Settings settings = Settings.fromEnvironment();
 * String service = settings.get("SERVICE"); // INFERWATCH_SERVICE or -Dinferwatch.service
 * int routes = settings.getInt("MAX_ROUTES", 200, 1, 100_000);
 * }</pre>
 */
public final class Settings {

  private static final String PREFIX = "INFERWATCH_";

  private final Lookup lookup;

  private Settings(Lookup lookup) {
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
          String property = "inferwatch." + key.toLowerCase(Locale.ROOT);
          String value = properties.apply(property);
          if (value != null) {
            return new Found(property, value);
          }
          String variable = PREFIX + key;
          value = environment.get(variable);
          return value == null ? null : new Found(variable, value);
        });
  }

  /**
   * Variables read as named, without the {@code INFERWATCH_} prefix: a host's own settings, such as
   * the demo's {@code PORT} and {@code HOST}, parsed and reported like Inferwatch's.
   */
  public static Settings unprefixed(Map<String, String> environment) {
    return new Settings(
        key -> {
          String value = environment.get(key);
          return value == null ? null : new Found(key, value);
        });
  }

  /**
   * Settings that consult {@code primary} first and fall back to these; a value found there is
   * reported as {@code inferwatch.<key in lower case, '_' as '.'>} (the servlet context parameter).
   */
  public Settings overriddenBy(UnaryOperator<String> primary) {
    return new Settings(
        key -> {
          String value = primary.apply(key);
          if (value != null) {
            return new Found("inferwatch." + key.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
          return lookup.find(key);
        });
  }

  /**
   * The trimmed value of {@code key} (without the {@code INFERWATCH_} prefix), or {@code null} when
   * unset or blank.
   */
  public String get(String key) {
    Found found = find(key);
    return found == null ? null : found.value;
  }

  /** The value of {@code key}, or {@code fallback} when unset. */
  public String get(String key, String fallback) {
    String value = get(key);
    return value != null ? value : fallback;
  }

  /**
   * The value of {@code key} as {@code parse} reads it, or {@code fallback} when unset. When {@code
   * parse} throws {@link IllegalArgumentException} the setting is refused with {@code allowed} as
   * the explanation ("a duration like 500ms or 2s").
   *
   * @throws SettingsException when the value cannot be parsed
   */
  public <T> T get(String key, T fallback, Function<String, T> parse, String allowed) {
    Found found = find(key);
    if (found == null) {
      return fallback;
    }
    try {
      T value = parse.apply(found.value);
      if (value == null) {
        throw new SettingsException(found.name, found.value, allowed);
      }
      return value;
    } catch (SettingsException e) {
      throw e;
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new SettingsException(found.name, found.value, allowed);
    }
  }

  /**
   * The integer value of {@code key}, any {@code int}.
   *
   * @throws SettingsException when the value is not an integer
   */
  public int getInt(String key, int fallback) {
    return getInt(key, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /**
   * The integer value of {@code key} within {@code min..max}, or {@code fallback} when unset.
   *
   * @throws SettingsException when the value is not an integer in range
   */
  public int getInt(String key, int fallback, int min, int max) {
    return (int) getLong(key, fallback, min, max);
  }

  /**
   * The integer value of {@code key} within {@code min..max}, or {@code fallback} when unset.
   *
   * @throws SettingsException when the value is not an integer in range
   */
  public long getLong(String key, long fallback, long min, long max) {
    Found found = find(key);
    if (found == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(found.value);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the range.
    }
    throw new SettingsException(found.name, found.value, integerBetween(min, max));
  }

  /**
   * The boolean value of {@code key}: {@code true/false/yes/no/on/off/1/0}.
   *
   * @throws SettingsException for anything else
   */
  public boolean getBoolean(String key, boolean fallback) {
    return get(
        key,
        fallback,
        value ->
            switch (value.toLowerCase(Locale.ROOT)) {
              case "true", "yes", "on", "1" -> true;
              case "false", "no", "off", "0" -> false;
              default -> null;
            },
        "not true or false");
  }

  /** Applies every setting the builder knows to {@code builder}; see {@link Inferwatch.Builder}. */
  void applyTo(Inferwatch.Builder builder) {
    new CoreSettings(this).applyTo(builder);
  }

  /**
   * Hands the value of {@code key} to {@code setter}; a refusal by the setter becomes a {@link
   * SettingsException} that says {@code allowed}.
   */
  <T> void apply(String key, Function<String, T> parse, Consumer<T> setter, String allowed) {
    Found found = find(key);
    if (found == null) {
      return;
    }
    try {
      setter.accept(parse.apply(found.value));
    } catch (IllegalArgumentException e) {
      throw new SettingsException(found.name, found.value, allowed);
    }
  }

  /**
   * The name {@code key} is read under where it is set ({@code INFERWATCH_METRICS_USER}, {@code
   * inferwatch.metrics_user}), else its environment variable: for messages about a missing value.
   */
  public String variable(String key) {
    Found found = find(key);
    return found != null ? found.name : PREFIX + key;
  }

  private Found find(String key) {
    Found found = lookup.find(key);
    if (found == null) {
      return null;
    }
    String value = found.value.trim();
    return value.isEmpty() ? null : new Found(found.name, value);
  }

  private static String integerBetween(long min, long max) {
    if (min == Long.MIN_VALUE || min == Integer.MIN_VALUE) {
      return max == Long.MAX_VALUE || max == Integer.MAX_VALUE
          ? "not an integer"
          : "not an integer of at most " + max;
    }
    if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
      return "not an integer of at least " + min;
    }
    return "not an integer between " + min + " and " + max;
  }

  /** Where a key's value was found: the name to report, and the raw value. */
  private record Found(String name, String value) {}

  @FunctionalInterface
  private interface Lookup {
    Found find(String key);
  }
}
