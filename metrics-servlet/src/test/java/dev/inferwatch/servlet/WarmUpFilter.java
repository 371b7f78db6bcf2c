package dev.inferwatch.servlet;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * A MetricsFilter that records into a throw-away instance during a warm-up and into {@link
 * #measured()} after it, so that the kit's figures cover the same requests as a load tool that
 * leaves its warm-up out.
 */
public final class WarmUpFilter implements Filter {

  private final MetricsFilter warmUp = new MetricsFilter(instance());
  private final Inferwatch measured = instance();
  private final MetricsFilter measuring = new MetricsFilter(measured);
  private volatile long measureFrom = Long.MAX_VALUE;

  private static Inferwatch instance() {
    return Inferwatch.builder()
        .registry(new PrometheusRegistry())
        .jvmMetrics(false)
        .discoverModules(false)
        .build();
  }

  /** The instance requests after the warm-up are recorded into. */
  public Inferwatch measured() {
    return measured;
  }

  /** Starts the warm-up now: requests from {@code warmUp} on are measured. */
  public void warmUpFor(Duration warmUp) {
    measureFrom = System.nanoTime() + warmUp.toNanos();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    (System.nanoTime() - measureFrom >= 0 ? measuring : warmUp).doFilter(request, response, chain);
  }
}
