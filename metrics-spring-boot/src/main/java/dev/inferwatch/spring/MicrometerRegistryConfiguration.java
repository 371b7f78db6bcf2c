package dev.inferwatch.spring;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Finds Micrometer's Prometheus registry (Micrometer 1.13 and later: a client_java {@code
 * PrometheusRegistry} underneath), only when Micrometer is there; its types stay out of the rest.
 *
 * <p>One family name has one owner in a shared registry, or the scrape fails. Micrometer's executor
 * meters are named as the kit's {@code executor_*} families (the catalogue took Micrometer's
 * names), so on the shared registry they are left to the kit: {@link ExecutorBinding} reports
 * Boot's task executors there, labelled by {@code pool}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
class MicrometerRegistryConfiguration {

  /** Micrometer meters whose Prometheus names the kit's own families hold. */
  static final Set<String> KIT_OWNED =
      Set.of("executor.completed", "executor.active", "executor.queued", "executor.pool.size");

  @Bean
  @ConditionalOnBean(type = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
  SharedRegistry inferwatchSharedRegistry(PrometheusMeterRegistry meters) {
    return new SharedRegistry(meters.getPrometheusRegistry());
  }

  @Bean
  @ConditionalOnBean(type = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
  ExecutorBinding inferwatchExecutorBinding(
      dev.inferwatch.core.Inferwatch inferwatch, ListableBeanFactory beans) {
    return new ExecutorBinding(inferwatch, beans);
  }

  /**
   * Adds the filter as the registry is built, before any binder registers a meter; Boot's
   * customizer types moved package between 3 and 4, a post-processor did not.
   */
  @Bean
  static BeanPostProcessor inferwatchMeterFilter() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) {
        if (bean instanceof PrometheusMeterRegistry registry) {
          registry.config().meterFilter(MeterFilter.deny(id -> KIT_OWNED.contains(id.getName())));
        }
        return bean;
      }
    };
  }
}
