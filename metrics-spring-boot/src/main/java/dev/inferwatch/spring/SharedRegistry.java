package dev.inferwatch.spring;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The client_java registry behind Micrometer's {@code PrometheusMeterRegistry}, which the kit
 * shares so that {@code /actuator/prometheus} and {@code /metrics} show both sets of families.
 *
 * @param registry the registry Micrometer exposes
 */
record SharedRegistry(PrometheusRegistry registry) {}
