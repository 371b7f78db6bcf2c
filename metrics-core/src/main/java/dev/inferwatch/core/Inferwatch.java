package dev.inferwatch.core;

import dev.inferwatch.core.business.BusinessMetrics;
import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.health.HealthRegistry;
import dev.inferwatch.core.history.History;
import dev.inferwatch.core.http.HttpMetrics;
import dev.inferwatch.core.http.RouteNormalizer;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.JvmCollectors;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.ManagementServer;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import dev.inferwatch.core.internal.ProcessMemory;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.models.ExecutorMetrics;
import dev.inferwatch.core.models.ModelMetrics;
import dev.inferwatch.core.providers.ProviderMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final String appVersion;
  private final PrometheusRegistry registry;
  private final Instant startedAt = Instant.now();
  private final long startedNanos = System.nanoTime();
  private final Families families;
  private final Closer closer = new Closer();
  private final Modules modules = new Modules();
  private final int managementPort;

  private Inferwatch(Builder builder) {
    this.service = builder.service;
    this.environment = builder.environment;
    this.namespace = builder.namespace;
    this.appVersion = builder.appVersion;
    this.registry = builder.registry;
    this.families =
        new Families(
            Naming.of(namespace, service, environment),
            registry,
            builder.routes.build(),
            builder.eventsCapacity,
            builder.eventsPath);
    closeOnShutdown(families.events);
    closeOnShutdown(families.health);
    Naming names = families.names;
    if (builder.jvmMetrics) {
      JvmCollectors.registerOnce(registry, names.constLabels());
      ProcessMemory.registerOnce(
          registry, names.name(MetricNames.PROCESS_MEMORY_SHARED), names.constLabels());
    }
    closeOnShutdown(families.history);
    modules.start(this, builder.modules, builder.discoverModules, families.internalErrors);
    families.announce(service, environment, version(), modules.names());
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
    return families.http;
  }

  /** Runtime-defined domain counters, timers and flags. */
  public BusinessMetrics business() {
    return families.business;
  }

  /** Provider and router helpers: response times, outcomes, costs, circuits, health scores. */
  public ProviderMetrics providers() {
    return families.providers;
  }

  /** The event journal every helper and servlet writes to. */
  public EventJournal events() {
    return families.events;
  }

  /** Liveness, readiness and startup checks behind the probe endpoints. */
  public HealthRegistry health() {
    return families.health;
  }

  /** Prediction, model state and model lifecycle families. */
  public ModelMetrics models() {
    return families.models;
  }

  /** Callback gauges over the application's thread pools. */
  public ExecutorMetrics executors() {
    return families.executors;
  }

  /** The LLM families: served requests and streams, calls to providers, token usage. */
  public LlmMetrics llm() {
    return families.llm;
  }

  /** The last 30 minutes of the headline figures, sampled every 10 s. */
  public History history() {
    return families.history;
  }

  /** The route normaliser shared by the filter and anything else that labels by path. */
  public RouteNormalizer routes() {
    return families.routes;
  }

  /** Where contained failures are counted; servlets and modules report theirs here too. */
  public InternalErrors internalErrors() {
    return families.internalErrors;
  }

  /**
   * A cardinality guard for one caller-supplied label of {@code family} (base name, without the
   * namespace); overflows are counted under that family.
   */
  public LabelGuard labelGuard(String family, int limit) {
    return families.cardinality.guard(family, limit);
  }

  /** The started module called {@code name} (such as {@code gpu}), if any. */
  public Optional<InferwatchModule> module(String name) {
    return Optional.ofNullable(modules.get(name));
  }

  /** Every started module, by name. */
  public Map<String, InferwatchModule> modules() {
    return modules.all();
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

  /**
   * The version to show for this service: the host's own ({@link Builder#appVersion}, {@code
   * INFERWATCH_APP_VERSION}) when declared, else the kit's ({@link Version#kit()}).
   */
  public String version() {
    return appVersion != null ? appVersion : Version.kit();
  }

  /** The metric-name prefix, or {@code null} when not configured. */
  public String namespace() {
    return namespace;
  }

  /** The metric name {@code base} as this instance exposes it (namespace applied). */
  public String metricName(String base) {
    return families.names.name(base);
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
    closer.add(resource);
  }

  /**
   * Turns readiness down first (so load balancers drain), then stops every thread the kit started;
   * idempotent, never throws.
   */
  @Override
  public void close() {
    families.health.beginShutdown();
    closer.closeAll();
  }

  /** Configures an {@link Inferwatch}; setters check their argument and name it on error. */
  public static final class Builder {
    private String service;
    private String environment;
    private String namespace;
    private String appVersion;
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

    /**
     * The host application's own version, shown by {@code /info}, {@code /metrics.json} and the
     * status page instead of the kit's.
     */
    public Builder appVersion(String version) {
      this.appVersion = labelValue("app version", version);
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
     * Applies the {@code INFERWATCH_*} settings (service, env, namespace, app version, route cap,
     * management port and host, journal path and capacity) found in {@code settings}; values set
     * there win over earlier builder calls.
     */
    public Builder settings(Settings settings) {
      settings.applyTo(this);
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
