package dev.inferwatch.spring;

import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.servlet.scrape.MetricsAuth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Where the kit's servlets and Actuator meet: which paths the filter skips, which probe paths the
 * kit claims, and the metrics credentials from properties.
 */
final class SpringPaths {

  /** The probes Actuator serves on the main port when its additional paths are on. */
  static final List<String> ACTUATOR_PROBES = List.of("/livez", "/readyz");

  private static final String ACTUATOR =
      "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

  private SpringPaths() {}

  /**
   * The configured skipped paths and, unless {@code inferwatch.filter.skip-actuator=false},
   * Actuator's base path when it shares the application's port: a scrape of {@code
   * /actuator/prometheus} is not traffic, as {@code /metrics} is not.
   */
  static List<String> skipped(InferwatchProperties.Filter filter, Environment environment) {
    Set<String> paths = new LinkedHashSet<>(filter.getSkippedPaths());
    if (filter.isSkipActuator() && actuatorPresent() && actuatorOnMainPort(environment)) {
      String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
      if (base.length() > 1 && base.startsWith("/")) {
        paths.add(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
      }
    }
    return List.copyOf(paths);
  }

  /**
   * The kit's probe paths, less {@code /livez} and {@code /readyz} when Actuator maps them on the
   * main port ({@code management.endpoint.health.probes.add-additional-paths=true}): Actuator's
   * groups then answer there, and the kit's checks join them through the health contributor.
   */
  static List<String> probes(Environment environment) {
    List<String> paths = new ArrayList<>(ServletPaths.PROBES);
    if (actuatorPresent()
        && environment.getProperty(
            "management.endpoint.health.probes.add-additional-paths", Boolean.class, false)
        && environment.getProperty(
            "management.endpoint.health.probes.enabled", Boolean.class, true)) {
      // With their trailing-slash twins: half a probe answered by each side would mislead.
      paths.removeIf(path -> ACTUATOR_PROBES.contains(strip(path)));
    }
    return paths;
  }

  /** Basic and/or bearer credentials from {@code inferwatch.metrics.*}; none when unset. */
  static MetricsAuth auth(InferwatchProperties.Metrics metrics) {
    MetricsAuth auth =
        hasBasicAuth(metrics) ? MetricsAuth.basic(metrics.getUser(), metrics.getPassword()) : null;
    if (hasText(metrics.getToken())) {
      return auth == null
          ? MetricsAuth.bearer(metrics.getToken())
          : auth.orBearer(metrics.getToken());
    }
    return auth == null ? MetricsAuth.none() : auth;
  }

  /**
   * Whether {@code inferwatch.metrics.user} and {@code .password} are set, both or neither.
   *
   * @throws IllegalArgumentException when only one of them is
   */
  static boolean hasBasicAuth(InferwatchProperties.Metrics metrics) {
    boolean user = hasText(metrics.getUser());
    if (user != hasText(metrics.getPassword())) {
      throw new IllegalArgumentException(
          "inferwatch.metrics.user and inferwatch.metrics.password must be set together");
    }
    return user;
  }

  private static boolean actuatorPresent() {
    return ClassUtils.isPresent(ACTUATOR, SpringPaths.class.getClassLoader());
  }

  private static boolean actuatorOnMainPort(Environment environment) {
    String management = environment.getProperty("management.server.port");
    return management == null
        || Objects.equals(management, environment.getProperty("server.port", "8080"));
  }

  private static String strip(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }
}
