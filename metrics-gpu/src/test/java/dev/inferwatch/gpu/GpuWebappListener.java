package dev.inferwatch.gpu;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;

/**
 * What a web app does with the GPU module, loaded by the web app's own class loader in {@link
 * GpuTomcatLeakTest}: starts an Inferwatch with it (poller and XID threads running) when the
 * context starts, and closes it when the context is destroyed — unless the {@code leak} init
 * parameter is {@code true}, the negative control, which parks the instance in the system
 * properties for the test to close.
 */
public final class GpuWebappListener implements ServletContextListener {

  /** System property key under which the leaking variant parks its {@link AutoCloseable}. */
  public static final String LEAKED = "inferwatch.test.leaked-gpu";

  private Inferwatch iw;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    GpuModule module =
        GpuModule.builder()
            .library(event.getServletContext().getInitParameter("nvml"))
            .interval(Duration.ofMillis(50))
            .build();
    iw =
        Inferwatch.builder()
            .registry(new PrometheusRegistry())
            .jvmMetrics(false)
            .discoverModules(false)
            .module(module)
            .build();
    try {
      if (!module.poller().awaitFirstPoll(Duration.ofSeconds(30))
          || module.poller().xids() == null) {
        throw new IllegalStateException("the GPU module did not start its threads");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (Boolean.parseBoolean(event.getServletContext().getInitParameter("leak"))) {
      System.getProperties().put(LEAKED, iw);
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (!Boolean.parseBoolean(event.getServletContext().getInitParameter("leak"))) {
      iw.close();
    }
  }
}
