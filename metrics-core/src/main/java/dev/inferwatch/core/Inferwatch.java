package dev.inferwatch.core;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one object an application builds: it owns the metric families, the route normaliser and the
 * helper groups, all recording into one Prometheus registry.
 *
 * <pre>{@code
 * Inferwatch iw = Inferwatch.builder()
 *     .service("router").environment("prod")
 *     .routes(r -> r.template("/v1/models/{id}").maxRoutes(200))
 *     .build();
 * iw.business().counter("orders_total", "Orders placed", "channel").increment("web");
 * }</pre>
 *
 * <p>Recording calls never throw into the host: failures are contained and counted in {@code
 * inferwatch_internal_errors_total}. Configuration errors are reported by {@link Builder#build()}.
 * {@link #close()} stops whatever threads the kit started.
 */
public final class Inferwatch implements AutoCloseable {

  /**
   * Request attribute through which a host that knows the matched route template (a framework, a
   * router) hands it to the filter, e.g. {@code request.setAttribute(ROUTE_ATTRIBUTE,
   * "/v1/models/{id}")}.
   */
  public static final String ROUTE_ATTRIBUTE = "dev.inferwatch.route";

  private static final Logger log = LoggerFactory.getLogger(Inferwatch.class);

  private final String service;
  private final String environment;
  private final String namespace;
  private final PrometheusRegistry registry;
  private final Instant startedAt = Instant.now();
  private final long startedNanos = System.nanoTime();
  private final MetricNames names;
  private final Cardinality cardinality;
  private final InternalErrors internalErrors;
  private final RouteNormalizer routes;
  private final HttpMetrics http;
  private final BusinessMetrics business;
  private final EventJournal events;
  private final ProviderMetrics providers;
  private final HealthRegistry health;
  private final ModelMetrics models;
  private final ExecutorMetrics executors;
  private final LlmMetrics llm;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final Map<String, InferwatchModule> modules = new LinkedHashMap<>();
  private final int managementPort;

  private Inferwatch(Builder builder) {
    this.service = builder.service;
    this.environment = builder.environment;
    this.namespace = builder.namespace;
    this.registry = builder.registry;
    this.names = new MetricNames(namespace, constLabels(service, environment));
    this.cardinality = new Cardinality(names, registry);
    this.internalErrors = new InternalErrors(names, registry);
    this.routes = builder.routes.build();
    this.http = new HttpMetrics(names, registry, cardinality, internalErrors, routes.maxRoutes());
    this.business = new BusinessMetrics(names, registry, cardinality, internalErrors);
    this.events =
        new EventJournal(
            names,
            registry,
            internalErrors,
            builder.eventsCapacity,
            builder.eventsPath,
            JsonlEventSink.DEFAULT_QUEUE_CAPACITY);
    closeOnShutdown(events.sink());
    this.providers =
        new ProviderMetrics(names, registry, cardinality, internalErrors, events, System::nanoTime);
    this.health = new HealthRegistry(names, registry, cardinality, internalErrors);
    closeOnShutdown(health);
    this.models =
        new ModelMetrics(names, registry, cardinality, routes, internalErrors, health, events);
    this.executors = new ExecutorMetrics(names, registry, cardinality);
    this.llm = new LlmMetrics(names, registry, cardinality, internalErrors, events);
    if (builder.jvmMetrics) {
      JvmCollectors.registerOnce(registry, names.constLabels());
      ProcessMemory.registerOnce(
          registry, names.name("process_memory_shared_bytes"), names.constLabels());
    }
    startModules(builder);
    events.emit(
        EventType.STARTUP,
        service == null ? "inferwatch" : service,
        "Inferwatch started",
        Map.of(
            "env",
            environment == null ? "" : environment,
            "modules",
            List.copyOf(modules.keySet())));
    if (builder.metricsPort >= 0) {
      ManagementServer server =
          ManagementServer.start(builder.metricsHost, builder.metricsPort, registry);
      closeOnShutdown(server);
      this.managementPort = server.port();
      log.info("Inferwatch serves /metrics on management port {}", managementPort);
    } else {
      this.managementPort = -1;
    }
  }

  private void startModules(Builder builder) {
    List<InferwatchModule> candidates = new ArrayList<>(builder.modules);
    if (builder.discoverModules) {
      try {
        for (InferwatchModule module : ServiceLoader.load(InferwatchModule.class)) {
          candidates.add(module);
        }
      } catch (ServiceConfigurationError e) {
        internalErrors.record("modules.discover", e);
      }
    }
    for (InferwatchModule module : candidates) {
      if (modules.containsKey(module.name())) {
        continue;
      }
      try {
        module.start(this);
        modules.put(module.name(), module);
        closeOnShutdown(module);
      } catch (RuntimeException | LinkageError e) {
        internalErrors.record("modules.start", e);
      }
    }
  }

  /** A builder with the defaults: no const labels, no namespace, the default registry. */
  public static Builder builder() {
    return new Builder();
  }

  /** Built from {@code INFERWATCH_*} environment variables and {@code inferwatch.*} properties. */
  public static Inferwatch fromEnvironment() {
    return builder().settings(Settings.fromEnvironment()).build();
  }

  /** The HTTP server families the servlet filter records into. */
  public HttpMetrics http() {
    return http;
  }

  /** Runtime-defined domain counters, timers and flags. */
  public BusinessMetrics business() {
    return business;
  }

  /** Provider and router helpers: response times, outcomes, costs, circuits, health scores. */
  public ProviderMetrics providers() {
    return providers;
  }

  /** The event journal every helper and servlet writes to. */
  public EventJournal events() {
    return events;
  }

  /** Liveness, readiness and startup checks behind the probe endpoints. */
  public HealthRegistry health() {
    return health;
  }

  /** Prediction, model state and model lifecycle families. */
  public ModelMetrics models() {
    return models;
  }

  /** Callback gauges over the application's thread pools. */
  public ExecutorMetrics executors() {
    return executors;
  }

  /** The LLM families: served requests and streams, calls to providers, token usage. */
  public LlmMetrics llm() {
    return llm;
  }

  /** The route normaliser shared by the filter and anything else that labels by path. */
  public RouteNormalizer routes() {
    return routes;
  }

  /** Where contained failures are counted; servlets and modules report theirs here too. */
  public InternalErrors internalErrors() {
    return internalErrors;
  }

  /**
   * A cardinality guard for one caller-supplied label of {@code family} (base name, without the
   * namespace); overflows are counted under that family.
   */
  public LabelGuard labelGuard(String family, int limit) {
    return cardinality.guard(family, limit);
  }

  /** The started module called {@code name} (such as {@code gpu}), if any. */
  public Optional<InferwatchModule> module(String name) {
    return Optional.ofNullable(modules.get(name));
  }

  /** Every started module, by name. */
  public Map<String, InferwatchModule> modules() {
    return Map.copyOf(modules);
  }

  /** The port of the separate management server, or -1 when metrics share the app's port. */
  public int managementPort() {
    return managementPort;
  }

  /** The registry every family is registered in. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The {@code service} const label, or {@code null} when not configured. */
  public String service() {
    return service;
  }

  /** The {@code env} const label, or {@code null} when not configured. */
  public String environment() {
    return environment;
  }

  /** The metric-name prefix, or {@code null} when not configured. */
  public String namespace() {
    return namespace;
  }

  /** The metric name {@code base} as this instance exposes it (namespace applied). */
  public String metricName(String base) {
    return names.name(base);
  }

  /** When this instance was built. */
  public Instant startedAt() {
    return startedAt;
  }

  /** Time since this instance was built. */
  public Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /**
   * Registers {@code resource} to be closed by {@link #close()}, in reverse order of registration;
   * modules that own threads (GPU poller, journal writer) hand themselves here.
   */
  public void closeOnShutdown(AutoCloseable resource) {
    synchronized (closeables) {
      closeables.push(resource);
    }
  }

  /**
   * Turns readiness down first (so load balancers drain), then stops every thread the kit started;
   * idempotent, never throws.
   */
  @Override
  public void close() {
    health.beginShutdown();
    while (true) {
      AutoCloseable next;
      synchronized (closeables) {
        next = closeables.poll();
      }
      if (next == null) {
        return;
      }
      try {
        next.close();
      } catch (Exception e) {
        log.warn("Inferwatch could not close {}: {}", next, e.toString());
      }
    }
  }

  private static Labels constLabels(String service, String environment) {
    if (service != null && environment != null) {
      return Labels.of("service", service, "env", environment);
    }
    if (service != null) {
      return Labels.of("service", service);
    }
    if (environment != null) {
      return Labels.of("env", environment);
    }
    return Labels.EMPTY;
  }

  /** Configures an {@link Inferwatch}; setters check their argument and name it on error. */
  public static final class Builder {
    private String service;
    private String environment;
    private String namespace;
    private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
    private final RouteNormalizer.Builder routes = RouteNormalizer.builder();
    private boolean jvmMetrics = true;
    private boolean discoverModules = true;
    private int metricsPort = -1;
    private String metricsHost = "0.0.0.0";
    private final List<InferwatchModule> modules = new ArrayList<>();
    private int eventsCapacity = EventJournal.DEFAULT_CAPACITY;
    private Path eventsPath;

    private Builder() {}

    /** How many recent events the journal keeps in memory (default 256). */
    public Builder eventsCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("events capacity must be at least 1, got " + capacity);
      }
      this.eventsCapacity = capacity;
      return this;
    }

    /** Also mirrors journal events as JSON lines to {@code path} (appended; null turns it off). */
    public Builder eventsPath(Path path) {
      this.eventsPath = path;
      return this;
    }

    /** Adds a module explicitly (it wins over a discovered one of the same name). */
    public Builder module(InferwatchModule module) {
      if (module == null) {
        throw new IllegalArgumentException("module must not be null");
      }
      modules.add(module);
      return this;
    }

    /** Whether to start modules found on the classpath through ServiceLoader (default on). */
    public Builder discoverModules(boolean enabled) {
      this.discoverModules = enabled;
      return this;
    }

    /** The {@code service} const label on every family. */
    public Builder service(String service) {
      this.service = labelValue("service", service);
      return this;
    }

    /** The {@code env} const label on every family. */
    public Builder environment(String environment) {
      this.environment = labelValue("environment", environment);
      return this;
    }

    /** A prefix for every metric name: {@code gatewayz} gives {@code gatewayz_http_...}. */
    public Builder namespace(String namespace) {
      if (namespace != null && !namespace.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException(
            "namespace must match [a-zA-Z_][a-zA-Z0-9_]*, got '" + namespace + "'");
      }
      this.namespace = namespace;
      return this;
    }

    /** The registry to record into; defaults to {@link PrometheusRegistry#defaultRegistry}. */
    public Builder registry(PrometheusRegistry registry) {
      if (registry == null) {
        throw new IllegalArgumentException("registry must not be null");
      }
      this.registry = registry;
      return this;
    }

    /** Route templates, prefixes and the route cap. */
    public Builder routes(Consumer<RouteNormalizer.Builder> rules) {
      rules.accept(routes);
      return this;
    }

    /**
     * Also serves {@code /metrics} on a separate management port (0 picks a free one), for apps
     * that keep metrics off their public port.
     */
    public Builder metricsPort(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("metrics port must be 0..65535, got " + port);
      }
      this.metricsPort = port;
      return this;
    }

    /** The address the management port binds to (default all interfaces). */
    public Builder metricsHost(String host) {
      this.metricsHost = labelValue("metrics host", host);
      return this;
    }

    /** Whether to register client_java's JVM and process collectors (once per registry). */
    public Builder jvmMetrics(boolean enabled) {
      this.jvmMetrics = enabled;
      return this;
    }

    /**
     * Applies {@code SERVICE}, {@code ENV}, {@code NAMESPACE}, {@code MAX_ROUTES}, {@code
     * METRICS_PORT}, {@code METRICS_HOST}, {@code EVENTS_PATH} and {@code EVENTS_CAPACITY} from
     * {@code settings}; values set there win over earlier builder calls.
     */
    public Builder settings(Settings settings) {
      String s = settings.get("SERVICE");
      if (s != null) {
        service(s);
      }
      String e = settings.get("ENV");
      if (e != null) {
        environment(e);
      }
      String n = settings.get("NAMESPACE");
      if (n != null) {
        namespace(n);
      }
      if (settings.get("METRICS_PORT") != null) {
        metricsPort(settings.getInt("METRICS_PORT", -1));
      }
      if (settings.get("METRICS_HOST") != null) {
        metricsHost(settings.get("METRICS_HOST"));
      }
      if (settings.get("EVENTS_PATH") != null) {
        eventsPath(Path.of(settings.get("EVENTS_PATH")));
      }
      if (settings.get("EVENTS_CAPACITY") != null) {
        eventsCapacity(settings.getInt("EVENTS_CAPACITY", EventJournal.DEFAULT_CAPACITY));
      }
      if (settings.get("MAX_ROUTES") != null) {
        routes.maxRoutes(settings.getInt("MAX_ROUTES", RouteNormalizer.DEFAULT_MAX_ROUTES));
      }
      return this;
    }

    /** The configured instance, its families registered. */
    public Inferwatch build() {
      return new Inferwatch(this);
    }

    private static String labelValue(String what, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }
}
