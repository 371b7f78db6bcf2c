package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.InferwatchModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Instruments a Spring Boot application with one dependency: an {@link Inferwatch} built from the
 * {@code inferwatch.*} properties, the metrics filter and the kit's endpoints on the servlet
 * container, and, with Actuator, one Prometheus registry shared with Micrometer, a health
 * contributor, and readiness that follows Boot's availability. Every bean backs off when the
 * application defines its own.
 *
 * <pre>{@code
 * @Bean
 * InferwatchCustomizer routes() {
 *   return builder -> builder.routes(r -> r.prefix("/assets"));
 * }
 * }</pre>
 */
@AutoConfiguration(
    afterName = {
      // Boot 4, then Boot 3: their PrometheusMeterRegistry is known when ours looks for it.
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus"
          + ".PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus"
          + ".PrometheusMetricsExportAutoConfiguration"
    })
@ConditionalOnProperty(name = "inferwatch.enabled", matchIfMissing = true)
@EnableConfigurationProperties(InferwatchProperties.class)
@Import({
  MicrometerRegistryConfiguration.class,
  GpuConfiguration.class,
  LangChain4jConfiguration.class,
  InferwatchServletConfiguration.class,
  ContainerAdapterConfiguration.class,
  HealthContributorConfiguration.class
})
public class InferwatchAutoConfiguration {

  /**
   * The instance every part of the kit records into. It registers into Micrometer's Prometheus
   * registry when the application has one, else into the application's {@link PrometheusRegistry}
   * bean, else into a registry of its own; closed with the context.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Inferwatch inferwatch(
      InferwatchProperties properties,
      Environment environment,
      ObjectProvider<SharedRegistry> micrometer,
      ObjectProvider<PrometheusRegistry> registries,
      ObjectProvider<InferwatchModule> modules,
      ObjectProvider<InferwatchCustomizer> customizers) {
    SharedRegistry shared = micrometer.getIfAvailable();
    PrometheusRegistry registry =
        shared != null ? shared.registry() : registries.getIfUnique(PrometheusRegistry::new);
    Inferwatch.Builder builder =
        InferwatchFactory.builder(properties, environment, registry, shared != null);
    modules.orderedStream().forEach(builder::module);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /** Keeps the kit's probes in step with Boot's availability states and its shutdown. */
  @Bean
  @ConditionalOnMissingBean
  public SpringAvailability inferwatchAvailability(
      Inferwatch inferwatch, ObjectProvider<ApplicationAvailability> availability) {
    return new SpringAvailability(inferwatch, availability.getIfAvailable());
  }
}
