package dev.inferwatch.core.health;

import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Health checks in the groups {@code liveness}, {@code readiness} and {@code startup}, answered
 * within each check's timeout however the check behaves.
 *
 * <pre>{@code
 * iw.health().readiness("model", () -> model.isLoaded());
 * iw.health().diskSpace(Path.of("/var/lib/models"), 1L << 30);
 * iw.health().markStarted();
 * boolean ready = iw.health().check(HealthGroup.READINESS).up();
 * }</pre>
 *
 * <p>Checks run on a small bounded pool of daemon threads; a result is cached for the check's TTL.
 * A check still running past its timeout reads as down with the reason "timed out", and is not
 * started again until it returns, so a check that hangs forever holds one thread, not one per
 * probe. A throwing check reads as down with the exception as reason. The startup group holds the
 * built-in check {@code started} ({@link #markStarted()}, or the first model loaded); after {@link
 * #beginShutdown()} readiness answers down at once. Families: {@code health_check_up{check,group}},
 * {@code health_check_duration_seconds{check}}; every check also runs once when registered and then
 * every {@link #REFRESH_INTERVAL} in the background, so the gauge needs no probe. Closing stops the
 * pool.
 */
public final class HealthRegistry implements AutoCloseable {

  /** How long a probe waits for a check before reading it as down. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** How long a result is reused; probes every second from several kubelets share one run. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(1);

  /**
   * How often every check also runs without a probe, so that {@code health_check_up} is current
   * where nothing probes (Prometheus without Kubernetes) and fresh on the first scrape.
   */
  public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(10);

  /** The built-in startup check. */
  public static final String STARTED = "started";

  /** The synthetic readiness check that is down once shutdown has begun. */
  public static final String SHUTDOWN = "shutdown";

  // Each hung check pins one thread until it returns; 8 leaves room beside a few of them.
  private static final int THREADS = 8;
  private static final int QUEUE = 64;
  private static final int MAX_CHECKS = 50;

  private final Map<String, RegisteredCheck> checks = new LinkedHashMap<>();
  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService refresher;
  private final Gauge up;
  private final Histogram duration;
  private final LabelGuard names;
  private final InternalErrors errors;
  private volatile boolean started;
  private volatile boolean shuttingDown;

  /** Registers the families; built by {@code Inferwatch}, not by applications. */
  public HealthRegistry(
      Naming metricNames,
      PrometheusRegistry registry,
      Cardinality cardinality,
      InternalErrors errors) {
    this.errors = errors;
    this.executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE),
            DaemonThreads.pool("inferwatch-health"));
    executor.allowCoreThreadTimeOut(true);
    this.refresher = DaemonThreads.scheduler("inferwatch-health-refresh");
    this.up =
        Gauge.builder()
            .name(metricNames.name(MetricNames.HEALTH_CHECK_UP))
            .help("1 when the health check passed on its last run, 0 otherwise")
            .labelNames("check", "group")
            .constLabels(metricNames.constLabels())
            .register(registry);
    this.duration =
        Histogram.builder()
            .name(metricNames.name(MetricNames.HEALTH_CHECK_DURATION))
            .help("How long health checks take to run")
            .labelNames("check")
            .classicUpperBounds(Buckets.HTTP_SECONDS)
            .constLabels(metricNames.constLabels())
            .register(registry);
    this.names = cardinality.guard(MetricNames.HEALTH_CHECK_UP, MAX_CHECKS);
    register(
        STARTED,
        HealthGroup.STARTUP,
        () -> started ? HealthResult.up() : HealthResult.down("not started yet"),
        DEFAULT_TIMEOUT,
        Duration.ZERO);
    refresher.scheduleWithFixedDelay(
        this::refresh,
        REFRESH_INTERVAL.toNanos(),
        REFRESH_INTERVAL.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Adds a liveness check: keep it to the process itself (deadlocks, fatal state). */
  public HealthRegistry liveness(String name, BooleanSupplier up) {
    return register(name, HealthGroup.LIVENESS, HealthCheck.of(up), DEFAULT_TIMEOUT, DEFAULT_TTL);
  }

  /** Adds a readiness check with the default timeout and TTL. */
  public HealthRegistry readiness(String name, BooleanSupplier up) {
    return register(name, HealthGroup.READINESS, HealthCheck.of(up), DEFAULT_TIMEOUT, DEFAULT_TTL);
  }

  /** Adds a startup check with the default timeout and TTL. */
  public HealthRegistry startup(String name, BooleanSupplier up) {
    return register(name, HealthGroup.STARTUP, HealthCheck.of(up), DEFAULT_TIMEOUT, DEFAULT_TTL);
  }

  /**
   * Adds (or replaces) the check {@code name} in {@code group}; {@code ttl} zero runs it on every
   * probe.
   */
  public HealthRegistry register(
      String name, HealthGroup group, HealthCheck check, Duration timeout, Duration ttl) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("check name must not be blank");
    }
    if (group == null || check == null) {
      throw new IllegalArgumentException("group and check must not be null for '" + name + "'");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (ttl == null || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
    }
    RegisteredCheck registered =
        new RegisteredCheck(
            name,
            names.guard(name),
            group,
            check,
            timeout.toNanos(),
            ttl.toNanos(),
            new RegisteredCheck.Recorder(executor, up, duration, errors));
    synchronized (checks) {
      checks.put(name, registered);
    }
    // A first run in the background, so the check has a result before any probe asks.
    registered.start(System.nanoTime());
    return this;
  }

  /** Readiness fails when {@code path}'s file store has less than {@code minFreeBytes} usable. */
  public HealthRegistry diskSpace(Path path, long minFreeBytes) {
    return register(
        "disk_space",
        HealthGroup.READINESS,
        () -> {
          FileStore store = Files.getFileStore(path);
          long free = store.getUsableSpace();
          Map<String, Object> details =
              Map.of(
                  "path",
                  path.toString(),
                  "free_bytes",
                  free,
                  "total_bytes",
                  store.getTotalSpace(),
                  "threshold_bytes",
                  minFreeBytes);
          return free >= minFreeBytes
              ? HealthResult.up(details)
              : HealthResult.down(free + " bytes free, below " + minFreeBytes, details);
        },
        DEFAULT_TIMEOUT,
        Duration.ofSeconds(10));
  }

  /** Readiness fails while used heap exceeds {@code maxUsedRatio} (0..1) of the maximum heap. */
  public HealthRegistry heapPressure(double maxUsedRatio) {
    if (!(maxUsedRatio > 0 && maxUsedRatio <= 1)) {
      throw new IllegalArgumentException("max used ratio must be in (0, 1], got " + maxUsedRatio);
    }
    return register(
        "heap",
        HealthGroup.READINESS,
        () -> {
          MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
          long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
          double ratio = (double) heap.getUsed() / max;
          Map<String, Object> details =
              Map.of("used_bytes", heap.getUsed(), "max_bytes", max, "used_ratio", ratio);
          return ratio <= maxUsedRatio
              ? HealthResult.up(details)
              : HealthResult.down(
                  String.format("heap %.2f used, above %.2f", ratio, maxUsedRatio), details);
        },
        DEFAULT_TIMEOUT,
        DEFAULT_TTL);
  }

  /** Flips the startup probe to up; idempotent. */
  public void markStarted() {
    started = true;
    RegisteredCheck check;
    synchronized (checks) {
      check = checks.get(STARTED);
    }
    if (check != null) {
      // Recorded at once so the exported gauge flips now, not at the next refresh.
      check.record(HealthResult.up(), 0);
    }
  }

  /** Whether {@link #markStarted()} was called (or a model finished its first load). */
  public boolean started() {
    return started;
  }

  /**
   * Turns readiness down at once so load balancers drain; called first when the application stops.
   * Irreversible.
   */
  public void beginShutdown() {
    shuttingDown = true;
  }

  /** Whether {@link #beginShutdown()} was called. */
  public boolean shuttingDown() {
    return shuttingDown;
  }

  /** Runs (or reuses) every check of {@code group}; returns within the longest timeout. */
  public HealthReport check(HealthGroup group) {
    return evaluate(group);
  }

  /** Every check of every group: up when all are up. */
  public HealthReport checkAll() {
    return evaluate(null);
  }

  private HealthReport evaluate(HealthGroup group) {
    List<RegisteredCheck> scope;
    synchronized (checks) {
      scope = checks.values().stream().filter(r -> group == null || r.group == group).toList();
    }
    Map<String, CheckStatus> statuses = new LinkedHashMap<>();
    boolean allUp = true;
    if (shuttingDown && (group == null || group == HealthGroup.READINESS)) {
      statuses.put(
          SHUTDOWN,
          new CheckStatus(
              HealthGroup.READINESS, false, "shutting down", 0, Instant.now(), null, Map.of()));
      allUp = false;
    }
    long now = System.nanoTime();
    Map<RegisteredCheck, Future<CheckStatus>> pending = new LinkedHashMap<>();
    for (RegisteredCheck r : scope) {
      CheckStatus cached = r.last;
      if (cached != null && now - r.lastAt < r.ttlNanos) {
        continue;
      }
      pending.put(r, r.start(now));
    }
    for (RegisteredCheck r : scope) {
      Future<CheckStatus> future = pending.get(r);
      CheckStatus status = future == null ? r.last : await(r, future);
      statuses.put(r.name, status);
      allUp &= status.up();
    }
    return new HealthReport(allUp, statuses);
  }

  private CheckStatus await(RegisteredCheck r, Future<CheckStatus> future) {
    long remaining = r.startedAt + r.timeoutNanos - System.nanoTime();
    try {
      return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return r.timedOut();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return r.record(HealthResult.down("interrupted while waiting"), 0);
    } catch (ExecutionException | RuntimeException e) {
      errors.record("health.check", e);
      return r.record(HealthResult.down("health check failed to run: " + e), 0);
    }
  }

  private void refresh() {
    try {
      checkAll();
    } catch (RuntimeException e) {
      errors.record("health.refresh", e);
    }
  }

  /**
   * Stops the check threads and waits for them (up to a second each), so a container checking for
   * leaked threads right after an undeploy finds none; a probe after this reads checks as down.
   */
  @Override
  public void close() {
    DaemonThreads.stop(refresher);
    DaemonThreads.stop(executor);
  }
}
