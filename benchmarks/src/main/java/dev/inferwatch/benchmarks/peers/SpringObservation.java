package dev.inferwatch.benchmarks.peers;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Peer 1: what a Spring Boot 4 web app records for {@code http.server.requests}, without Boot's
 * container around it. The wiring follows the projects' own documentation:
 *
 * <ul>
 *   <li>Spring Framework reference, "Observability Support", HTTP Server instrumentation: Servlet
 *       applications get {@code http.server.requests} from {@link ServerHttpObservationFilter},
 *       given an {@link ObservationRegistry}; the route ({@code uri} tag) is the pattern Spring MVC
 *       matched, see {@link MvcRoute}.
 *   <li>Micrometer reference, "Observation: Introduction": metrics come from an {@code
 *       ObservationRegistry} whose config has a {@link DefaultMeterObservationHandler} on a {@code
 *       MeterRegistry}; that handler keeps a {@code Timer} ({@code http_server_requests_seconds})
 *       and a {@code LongTaskTimer} of requests in flight ({@code
 *       http_server_requests_active_seconds}).
 *   <li>Spring Boot 4 (modules spring-boot-micrometer-observation and -metrics): {@code
 *       ObservationRegistry.create()}, a {@code DefaultMeterObservationHandler} on the meter
 *       registry when no tracer is present, and for Prometheus a {@link PrometheusMeterRegistry}
 *       built from {@code PrometheusConfig}, its own client_java {@link PrometheusRegistry} and
 *       {@code Clock.SYSTEM}. Boot's defaults add no percentile histogram to {@code
 *       http.server.requests}.
 * </ul>
 *
 * <pre>{@code
 * SpringObservation spring = new SpringObservation();
 * context.addFilter(new FilterHolder(spring.filter()), "/*", EnumSet.of(DispatcherType.REQUEST));
 * String text = spring.meterRegistry().scrape();
 * }</pre>
 */
public final class SpringObservation {

  private final PrometheusMeterRegistry meterRegistry;
  private final ObservationRegistry observationRegistry;
  private final ServerHttpObservationFilter filter;

  /** A Prometheus meter registry, an observation registry feeding it, and the filter. */
  public SpringObservation() {
    meterRegistry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM);
    observationRegistry = ObservationRegistry.create();
    observationRegistry
        .observationConfig()
        .observationHandler(new DefaultMeterObservationHandler(meterRegistry));
    filter = new ServerHttpObservationFilter(observationRegistry);
  }

  /** Spring's filter, recording into {@link #meterRegistry()}. */
  public Filter filter() {
    return filter;
  }

  /** The registry Boot's {@code /actuator/prometheus} would scrape. */
  public PrometheusMeterRegistry meterRegistry() {
    return meterRegistry;
  }
}
