package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.health.HealthReport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The kit's health checks as one Actuator health contributor, {@code inferwatch} in {@code
 * /actuator/health}: UP when every check is up, each check in the details. Boot 4 moved the health
 * API to {@code org.springframework.boot.health.contributor}; on Boot 3 ({@code
 * org.springframework.boot.actuate.health}) the same contributor is built by {@link
 * LegacyHealthIndicator}. Off with {@code management.health.inferwatch.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "management.health.inferwatch.enabled", matchIfMissing = true)
class HealthContributorConfiguration {

  static final String BEAN = "inferwatchHealthIndicator";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4 {

    @Bean(BEAN)
    @ConditionalOnMissingBean(name = BEAN)
    HealthIndicator inferwatchHealthIndicator(Inferwatch inferwatch) {
      return () -> {
        HealthReport report = inferwatch.health().checkAll();
        return (report.up() ? Health.up() : Health.down())
            .withDetails(LegacyHealthIndicator.details(report))
            .build();
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = LegacyHealthIndicator.TYPE)
  @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot3 {

    @Bean(BEAN)
    @ConditionalOnMissingBean(name = BEAN)
    LegacyHealthIndicator inferwatchHealthIndicator(Inferwatch inferwatch) {
      return new LegacyHealthIndicator(inferwatch);
    }
  }
}
