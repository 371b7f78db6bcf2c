package dev.inferwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.testkit.Scrape;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Next to Micrometer and Actuator: one registry with each family once, the kit's checks as a health
 * contributor, and readiness that follows Boot's availability.
 */
class ActuatorCoexistenceTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(InferwatchAutoConfiguration.class))
          .withPropertyValues("inferwatch.discover-modules=false");

  @Test
  void sharesMicrometersRegistryWithoutJvmCollectorsOrTwoOwnersOfAFamily() {
    runner
        .withBean(
            PrometheusMeterRegistry.class,
            () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .withBean(
            "applicationTaskExecutor",
            ThreadPoolTaskExecutor.class,
            () -> {
              ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
              executor.initialize();
              return executor;
            })
        .run(
            context -> {
              PrometheusMeterRegistry meters = context.getBean(PrometheusMeterRegistry.class);
              Inferwatch iw = context.getBean(Inferwatch.class);
              assertThat(iw.registry()).isSameAs(meters.getPrometheusRegistry());
              // What Boot binds with Actuator: the JVM, and its task executor by bean name.
              new JvmMemoryMetrics().bindTo(meters);
              ThreadPoolExecutor pool =
                  new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
              new ExecutorServiceMetrics(pool, "applicationTaskExecutor", List.of()).bindTo(meters);
              iw.http(); // the kit's families are registered by now

              String text = meters.scrape();
              Scrape scrape = Scrape.parse(text);
              assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
              assertThat(text).containsOnlyOnce("# TYPE jvm_memory_used_bytes gauge");
              assertThat(text).containsOnlyOnce("# TYPE executor_active_threads gauge");
              // The kit owns executor_*: Boot's executor reported there, labelled by pool.
              assertThat(scrape.labelValues("executor_pool_size_threads", "pool"))
                  .contains("applicationTaskExecutor");
              // Micrometer's other executor meters, whose names the kit does not use, stay.
              assertThat(scrape.has("executor_pool_max_threads")).isTrue();
              pool.shutdownNow();
            });
  }

  @Test
  void keepsJvmCollectorsWhenItOwnsTheRegistry() {
    runner.run(
        context ->
            assertThat(
                    Scrape.of(context.getBean(Inferwatch.class).registry())
                        .has("jvm_threads_current"))
                .isTrue());
  }

  @Test
  void theKitsChecksAreOneHealthContributor() {
    runner
        .withBean(ApplicationAvailabilityBean.class)
        .run(
            context -> {
              Inferwatch iw = context.getBean(Inferwatch.class);
              HealthIndicator indicator =
                  context.getBean("inferwatchHealthIndicator", HealthIndicator.class);

              Health before = indicator.health();
              assertThat(before.getStatus()).isEqualTo(Status.DOWN);
              assertThat(before.getDetails()).containsKeys("started", "readiness_state");

              AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
              AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(iw.health().started()).isTrue();
              assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            });
  }

  @Test
  void readinessFollowsBootsReadinessBothWays() {
    runner
        .withBean(ApplicationAvailabilityBean.class)
        .run(
            context -> {
              Inferwatch iw = context.getBean(Inferwatch.class);
              assertThat(iw.health().check(HealthGroup.READINESS).up()).isFalse();

              AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(iw.health().check(HealthGroup.READINESS).up()).isTrue();

              AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
              assertThat(iw.health().check(HealthGroup.READINESS).reasons())
                  .containsKey(SpringAvailability.READINESS);
              AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
              assertThat(iw.health().check(HealthGroup.LIVENESS).up()).isFalse();
            });
  }

  @Test
  void theHealthContributorCanBeSwitchedOff() {
    runner
        .withPropertyValues("management.health.inferwatch.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("inferwatchHealthIndicator"));
  }
}
