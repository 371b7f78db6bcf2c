package dev.inferwatch.core;

import dev.inferwatch.core.business.BusinessMetrics;
import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.core.health.HealthRegistry;
import dev.inferwatch.core.history.History;
import dev.inferwatch.core.http.HttpMetrics;
import dev.inferwatch.core.http.RouteNormalizer;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.Naming;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.models.ExecutorMetrics;
import dev.inferwatch.core.models.ModelMetrics;
import dev.inferwatch.core.providers.ProviderMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * The helper groups of one {@link Inferwatch}, wired to each other in dependency order: guards and
 * error counting first, then the journal and health registry the others write to.
 */
final class Families {

  final Naming names;
  final Cardinality cardinality;
  final InternalErrors internalErrors;
  final RouteNormalizer routes;
  final HttpMetrics http;
  final BusinessMetrics business;
  final EventJournal events;
  final ProviderMetrics providers;
  final HealthRegistry health;
  final ModelMetrics models;
  final ExecutorMetrics executors;
  final LlmMetrics llm;
  final History history;

  Families(
      Naming names,
      PrometheusRegistry registry,
      RouteNormalizer routes,
      int eventsCapacity,
      Path eventsPath) {
    this.names = names;
    this.cardinality = new Cardinality(names, registry);
    this.internalErrors = new InternalErrors(names, registry);
    this.routes = routes;
    this.http = new HttpMetrics(names, registry, cardinality, internalErrors, routes.maxRoutes());
    this.business = new BusinessMetrics(names, registry, cardinality, internalErrors);
    this.events = new EventJournal(names, registry, internalErrors, eventsCapacity, eventsPath);
    this.providers =
        new ProviderMetrics(names, registry, cardinality, internalErrors, events, System::nanoTime);
    this.health = new HealthRegistry(names, registry, cardinality, internalErrors);
    this.models =
        new ModelMetrics(names, registry, cardinality, routes, internalErrors, health, events);
    this.executors = new ExecutorMetrics(names, registry, cardinality);
    this.llm = new LlmMetrics(names, registry, cardinality, internalErrors, events);
    this.history = new History(names, registry, internalErrors);
  }

  /** Journals the start of {@code iw}, with its env, version and modules. */
  void announce(String service, String environment, String version, Object modules) {
    events.emit(
        EventType.STARTUP,
        service == null ? "inferwatch" : service,
        "Inferwatch started",
        Map.of(
            "env", environment == null ? "" : environment, "version", version, "modules", modules));
  }
}
