package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.core.env.Environment;

/** Turns the {@code inferwatch.*} properties into an {@link Inferwatch.Builder}. */
final class InferwatchFactory {

  private InferwatchFactory() {}

  /**
   * A builder with every property applied, recording into {@code registry}; JVM collectors off by
   * default when {@code micrometer} shares the registry, since Micrometer binds its own {@code
   * jvm_*} and {@code process_*} families and two of one name break the scrape.
   */
  static Inferwatch.Builder builder(
      InferwatchProperties properties,
      Environment environment,
      PrometheusRegistry registry,
      boolean micrometer) {
    Boolean jvm = properties.getJvmMetrics();
    Inferwatch.Builder builder =
        Inferwatch.builder()
            .registry(registry)
            .jvmMetrics(jvm != null ? jvm : !micrometer)
            .discoverModules(properties.isDiscoverModules())
            .eventsCapacity(properties.getEvents().getCapacity())
            .eventsPath(properties.getEvents().getPath())
            .routes(
                routes -> {
                  routes.maxRoutes(properties.getMaxRoutes());
                  properties.getRouteTemplates().forEach(routes::template);
                });
    String service = properties.getService();
    if (service == null) {
      service = environment.getProperty("spring.application.name");
    }
    if (hasText(service)) {
      builder.service(service);
    }
    if (hasText(properties.getEnv())) {
      builder.environment(properties.getEnv());
    }
    if (hasText(properties.getNamespace())) {
      builder.namespace(properties.getNamespace());
    }
    if (hasText(properties.getAppVersion())) {
      builder.appVersion(properties.getAppVersion());
    }
    InferwatchProperties.Metrics metrics = properties.getMetrics();
    // The instance's own credentials: every kit servlet's details (/info, /health/detailed,
    // /metrics.json, reload) and the management port check them, not only /metrics.
    if (SpringPaths.hasBasicAuth(metrics)) {
      builder.metricsAuth(metrics.getUser(), metrics.getPassword());
    }
    if (hasText(metrics.getToken())) {
      builder.metricsToken(metrics.getToken());
    }
    if (hasText(properties.getAdminToken())) {
      builder.adminToken(properties.getAdminToken());
    }
    if (metrics.getPort() != null) {
      if (hasText(metrics.getHost())) {
        builder.metricsHost(metrics.getHost());
      }
      builder.metricsPort(metrics.getPort());
    }
    return builder;
  }

  private static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }
}
