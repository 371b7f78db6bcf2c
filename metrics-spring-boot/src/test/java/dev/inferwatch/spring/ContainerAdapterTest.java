package dev.inferwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inferwatch.servlet.jetty.TimedThreadPool;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.Ordered;

/**
 * The container adapter's bean and its Jetty pool copy; the adapters on Boot's real Tomcat and
 * Jetty are exercised by the Boot 3 and Boot 4 integration tests.
 */
class ContainerAdapterTest {

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(InferwatchAutoConfiguration.class))
          .withBean(PrometheusRegistry.class, PrometheusRegistry::new);

  @Test
  void aServletApplicationGetsTheAdapterAfterBootsOwnCustomizers() {
    web.run(
        context -> {
          assertThat(context).hasSingleBean(ContainerAdapterCustomizer.class);
          assertThat(context.getBean(ContainerAdapterCustomizer.class).getOrder())
              .isEqualTo(Ordered.LOWEST_PRECEDENCE);
        });
  }

  @Test
  void theAdapterCanBeSwitchedOff() {
    web.withPropertyValues("inferwatch.container-adapter.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ContainerAdapterCustomizer.class));
  }

  @Test
  void anApplicationWithoutAServletContainerGetsNoAdapter() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(InferwatchAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(ContainerAdapterCustomizer.class));
  }

  @Test
  void bootsPlainPoolBecomesATimedPoolOfTheSameSizes() {
    QueuedThreadPool boots = new QueuedThreadPool(37, 3, 45_000, null);
    boots.setName("boot-pool");
    boots.setReservedThreads(2);

    ThreadPool timed = JettyAdapter.timed(boots, null);

    assertThat(timed).isInstanceOf(TimedThreadPool.class);
    TimedThreadPool pool = (TimedThreadPool) timed;
    assertThat(pool.getMaxThreads()).isEqualTo(37);
    assertThat(pool.getMinThreads()).isEqualTo(3);
    assertThat(pool.getIdleTimeout()).isEqualTo(45_000);
    assertThat(pool.getName()).isEqualTo("boot-pool");
    assertThat(pool.getReservedThreads()).isEqualTo(2);
  }

  @Test
  void aBoundedQueueCapacityIsKept() throws Exception {
    TimedThreadPool pool =
        (TimedThreadPool) JettyAdapter.timed(new QueuedThreadPool(4, 1, 60_000, null), 0);
    pool.start();
    try {
      assertThat(pool.getMaxThreads()).isEqualTo(4);
      // A synchronous queue holds no job: a fifth blocked job is refused, not queued.
      CountDownLatch release = new CountDownLatch(1);
      int accepted = 0;
      for (int i = 0; i < 8; i++) {
        try {
          pool.execute(
              () -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
          accepted++;
        } catch (RejectedExecutionException refused) {
          // expected once the threads are busy
        }
      }
      release.countDown();
      assertThat(accepted).isLessThan(8);
    } finally {
      pool.stop();
    }
  }

  @Test
  void noPoolBecomesJettysDefaultTimed() {
    assertThat(JettyAdapter.timed(null, null)).isInstanceOf(TimedThreadPool.class);
  }

  @Test
  void theApplicationsOwnPoolIsLeftAlone() {
    assertThat(JettyAdapter.timed(new QueuedThreadPool() {}, null)).isNull();
    assertThat(JettyAdapter.timed(new TimedThreadPool(), null)).isNull();
  }

  @Test
  void aPoolOnVirtualThreadsIsLeftAlone() {
    QueuedThreadPool virtual = new QueuedThreadPool();
    virtual.setVirtualThreadsExecutor(Executors.newSingleThreadExecutor());
    // Jetty keeps the executor only where the JVM has virtual threads (21 and later).
    assumeTrue(virtual.getVirtualThreadsExecutor() != null, "no virtual threads on this JVM");
    assertThat(JettyAdapter.timed(virtual, null)).isNull();
  }
}
