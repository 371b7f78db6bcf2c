package dev.inferwatch.spring;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.http.RouteNormalizer;
import dev.inferwatch.servlet.MetricsFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;

/**
 * The {@code inferwatch.*} properties. Each name is the one of the {@code INFERWATCH_*} environment
 * variable it replaces, so Boot's relaxed binding keeps those working ({@code
 * INFERWATCH_MAX_ROUTES=300} sets {@code inferwatch.max-routes}).
 *
 * <pre>{@code
 * inferwatch:
 *   env: prod
 *   max-routes: 300
 *   metrics:
 *     token: ${SCRAPE_TOKEN}
 * }</pre>
 */
@ConfigurationProperties("inferwatch")
public class InferwatchProperties {

  /** Whether the starter instruments the application at all. */
  private boolean enabled = true;

  /** The service const label on every family; defaults to spring.application.name. */
  private String service;

  /** The env const label on every family. */
  private String env;

  /** A prefix for every metric name (gatewayz gives gatewayz_http_...). */
  private String namespace;

  /** The application's version, shown by /info, /metrics.json and the status page. */
  private String appVersion;

  /** Cap on distinct route label values; later ones are recorded as __overflow__. */
  private int maxRoutes = RouteNormalizer.DEFAULT_MAX_ROUTES;

  /**
   * Route templates for paths no framework pattern names (/files/{id}, /assets/**); Spring MVC's
   * own patterns need none.
   */
  private List<String> routeTemplates = new ArrayList<>();

  /**
   * Whether to register client_java's JVM and process collectors; by default on, and off when
   * Micrometer's Prometheus registry is shared (Micrometer binds its own).
   */
  private Boolean jvmMetrics;

  /** Whether to start modules found on the classpath through ServiceLoader. */
  private boolean discoverModules = true;

  /** Longest a client may take to send a chat or predict body; later it gets 408 (ms or 10s). */
  @DurationUnit(ChronoUnit.MILLIS)
  private Duration bodyTimeoutMs = Duration.ofSeconds(10);

  /** An explicit path or name for libnvidia-ml, tried instead of the default names. */
  private String nvmlLibrary;

  /**
   * Bearer token for admin actions only (POST /health/model/reload), beside the metrics
   * credentials, which are accepted there too.
   */
  private String adminToken;

  private final Events events = new Events();
  private final Filter filter = new Filter();
  private final Metrics metrics = new Metrics();
  private final Toggle probes = new Toggle();
  private final Toggle info = new Toggle();
  private final Toggle status = new Toggle();

  /**
   * The Tomcat valve or Jetty handler on Boot's embedded container: durations from the request's
   * arrival, queue time, and requests the container refuses counted as __rejected__.
   */
  private final Toggle containerAdapter = new Toggle();

  @NestedConfigurationProperty private final ChatProperties chat = new ChatProperties();

  @NestedConfigurationProperty private final PredictProperties predict = new PredictProperties();

  private final Gpu gpu = new Gpu();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getService() {
    return service;
  }

  public void setService(String service) {
    this.service = service;
  }

  public String getEnv() {
    return env;
  }

  public void setEnv(String env) {
    this.env = env;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getAppVersion() {
    return appVersion;
  }

  public void setAppVersion(String appVersion) {
    this.appVersion = appVersion;
  }

  public int getMaxRoutes() {
    return maxRoutes;
  }

  public void setMaxRoutes(int maxRoutes) {
    this.maxRoutes = maxRoutes;
  }

  public List<String> getRouteTemplates() {
    return routeTemplates;
  }

  public void setRouteTemplates(List<String> routeTemplates) {
    this.routeTemplates = routeTemplates;
  }

  public Boolean getJvmMetrics() {
    return jvmMetrics;
  }

  public void setJvmMetrics(Boolean jvmMetrics) {
    this.jvmMetrics = jvmMetrics;
  }

  public boolean isDiscoverModules() {
    return discoverModules;
  }

  public void setDiscoverModules(boolean discoverModules) {
    this.discoverModules = discoverModules;
  }

  public Duration getBodyTimeoutMs() {
    return bodyTimeoutMs;
  }

  public void setBodyTimeoutMs(Duration bodyTimeoutMs) {
    this.bodyTimeoutMs = bodyTimeoutMs;
  }

  public String getNvmlLibrary() {
    return nvmlLibrary;
  }

  public void setNvmlLibrary(String nvmlLibrary) {
    this.nvmlLibrary = nvmlLibrary;
  }

  public String getAdminToken() {
    return adminToken;
  }

  public void setAdminToken(String adminToken) {
    this.adminToken = adminToken;
  }

  public Toggle getContainerAdapter() {
    return containerAdapter;
  }

  public Events getEvents() {
    return events;
  }

  public Filter getFilter() {
    return filter;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public Toggle getProbes() {
    return probes;
  }

  public Toggle getInfo() {
    return info;
  }

  public Toggle getStatus() {
    return status;
  }

  public ChatProperties getChat() {
    return chat;
  }

  public PredictProperties getPredict() {
    return predict;
  }

  public Gpu getGpu() {
    return gpu;
  }

  /** One endpoint that can be switched off. */
  public static class Toggle {

    /** Whether the endpoint is registered. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** The event journal. */
  public static class Events {

    /** How many recent events the journal keeps in memory. */
    private int capacity = EventJournal.DEFAULT_CAPACITY;

    /** Also mirrors journal events as JSON lines to this file (appended). */
    private Path path;

    public int getCapacity() {
      return capacity;
    }

    public void setCapacity(int capacity) {
      this.capacity = capacity;
    }

    public Path getPath() {
      return path;
    }

    public void setPath(Path path) {
      this.path = path;
    }
  }

  /** The HTTP metrics filter. */
  public static class Filter extends Toggle {

    /** Paths (and everything under them) that are never recorded. */
    private List<String> skippedPaths = new ArrayList<>(MetricsFilter.DEFAULT_SKIPPED_PATHS);

    /**
     * Whether Actuator's endpoints (management.endpoints.web.base-path) are skipped too, as the
     * kit's own metrics and probe paths are.
     */
    private boolean skipActuator = true;

    public List<String> getSkippedPaths() {
      return skippedPaths;
    }

    public void setSkippedPaths(List<String> skippedPaths) {
      this.skippedPaths = skippedPaths;
    }

    public boolean isSkipActuator() {
      return skipActuator;
    }

    public void setSkipActuator(boolean skipActuator) {
      this.skipActuator = skipActuator;
    }
  }

  /** The metrics endpoints and the optional management port. */
  public static class Metrics extends Toggle {

    /** HTTP basic user for the metrics endpoints; set together with the password. */
    private String user;

    /** HTTP basic password for the metrics endpoints. */
    private String password;

    /** Bearer token accepted by the metrics endpoints. */
    private String token;

    /** Also serves /metrics on this separate port (0 picks a free one); unset: none. */
    private Integer port;

    /**
     * The address the separate metrics port binds to; unset: all interfaces when credentials
     * protect it, else loopback only.
     */
    private String host;

    public String getUser() {
      return user;
    }

    public void setUser(String user) {
      this.user = user;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }

    public Integer getPort() {
      return port;
    }

    public void setPort(Integer port) {
      this.port = port;
    }

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }
  }

  /** The GPU module, when inferwatch-gpu is on the classpath. */
  public static class Gpu extends Toggle {

    /** How often to poll NVML (seconds, or with a unit: 500ms, 2s). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration interval = Duration.ofSeconds(5);

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }
  }
}
