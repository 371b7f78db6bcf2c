package dev.inferwatch.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final HealthRegistry health = iw.health();
  private final Samples samples = new Samples(registry);
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void release() {
    never.countDown();
    iw.close();
  }

  @Test
  void aRegisteredCheckIsExportedWithoutAnyProbe() throws InterruptedException {
    health.readiness("database", () -> false);

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!samples.labelValues("health_check_up", "check").contains("database")
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(samples.labelValues("health_check_up", "check")).contains("database", "started");
    assertThat(samples.value("health_check_up", "check", "database", "group", "readiness"))
        .isZero();
    assertThat(samples.value("health_check_up", "check", "started", "group", "startup")).isZero();
  }

  @Test
  void checkThreadsDoNotPinTheCallersContextClassLoader() throws Exception {
    AtomicReference<ClassLoader> seen = new AtomicReference<>();
    health.register(
        "loader",
        HealthGroup.READINESS,
        () -> {
          seen.set(Thread.currentThread().getContextClassLoader());
          return HealthResult.up();
        },
        Duration.ofSeconds(1),
        Duration.ZERO);
    ClassLoader webapp = new URLClassLoader(new URL[0], null);

    Thread probe = new Thread(() -> health.check(HealthGroup.READINESS), "probe");
    probe.setContextClassLoader(webapp);
    probe.start();
    probe.join();

    assertThat(seen.get()).isNotNull().isNotSameAs(webapp);
    assertThat(seen.get()).isSameAs(HealthRegistry.class.getClassLoader());
  }

  @Test
  void aHungCheckReadsDownWithinItsTimeout() {
    // From before registration: the first run starts there, and its deadline is what the probe
    // waits for, so the answer can come neither before 300 ms nor long after.
    long t0 = System.nanoTime();
    health.register(
        "hangs",
        HealthGroup.READINESS,
        () -> {
          never.await();
          return HealthResult.up();
        },
        Duration.ofMillis(300),
        Duration.ZERO);

    HealthReport report = health.check(HealthGroup.READINESS);
    long tookMillis = (System.nanoTime() - t0) / 1_000_000;

    assertThat(report.up()).isFalse();
    assertThat(report.reasons()).containsEntry("hangs", "timed out after 300 ms");
    assertThat(tookMillis).isBetween(300L, 1_300L);
    assertThat(samples.value("health_check_up", "check", "hangs", "group", "readiness")).isZero();
  }

  @Test
  void aCheckStillHangingIsNotStartedAgainAndAnswersAtOnce() {
    AtomicInteger runs = new AtomicInteger();
    health.register(
        "hangs",
        HealthGroup.READINESS,
        () -> {
          runs.incrementAndGet();
          never.await();
          return HealthResult.up();
        },
        Duration.ofMillis(200),
        Duration.ZERO);
    health.check(HealthGroup.READINESS);

    long t0 = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      assertThat(health.check(HealthGroup.READINESS).up()).isFalse();
    }
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aThrowingCheckReadsDownWithItsReason() {
    health.register(
        "db",
        HealthGroup.READINESS,
        () -> {
          throw new IllegalStateException("connection refused");
        },
        Duration.ofSeconds(1),
        Duration.ZERO);

    HealthReport report = health.check(HealthGroup.READINESS);

    assertThat(report.reasons()).containsEntry("db", "IllegalStateException: connection refused");
    assertThat(report.checks().get("db").lastSuccess()).isNull();
  }

  @Test
  void reusesAResultForItsTtl() {
    AtomicInteger runs = new AtomicInteger();
    health.register(
        "counted",
        HealthGroup.LIVENESS,
        () -> {
          runs.incrementAndGet();
          return HealthResult.up();
        },
        Duration.ofSeconds(1),
        Duration.ofMinutes(1));

    for (int i = 0; i < 10; i++) {
      assertThat(health.check(HealthGroup.LIVENESS).up()).isTrue();
    }

    assertThat(runs).hasValue(1);
    assertThat(samples.value("health_check_duration_seconds", "check", "counted")).isEqualTo(1);
  }

  @Test
  void runsAgainOnceTheTtlHasPassed() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    health.register(
        "counted",
        HealthGroup.LIVENESS,
        () -> HealthResult.up(java.util.Map.of("run", runs.incrementAndGet())),
        Duration.ofSeconds(1),
        Duration.ofMillis(50));
    health.check(HealthGroup.LIVENESS);
    Thread.sleep(120);
    health.check(HealthGroup.LIVENESS);

    assertThat(runs).hasValue(2);
  }

  @Test
  void startupTurnsUpWhenMarkedStarted() {
    assertThat(health.check(HealthGroup.STARTUP).reasons())
        .containsEntry(HealthRegistry.STARTED, "not started yet");

    health.markStarted();

    assertThat(health.check(HealthGroup.STARTUP).up()).isTrue();
  }

  @Test
  void shutdownTurnsReadinessDownButNotLiveness() {
    health.readiness("always", () -> true);
    assertThat(health.check(HealthGroup.READINESS).up()).isTrue();

    health.beginShutdown();

    assertThat(health.check(HealthGroup.READINESS).reasons())
        .containsEntry(HealthRegistry.SHUTDOWN, "shutting down");
    assertThat(health.check(HealthGroup.LIVENESS).up()).isTrue();
  }

  @Test
  void closingTheFacadeBeginsShutdown() {
    iw.close();

    assertThat(health.shuttingDown()).isTrue();
  }

  @Test
  void diskAndHeapChecksReportDetails() {
    health.diskSpace(Path.of("."), 1).heapPressure(1.0);

    HealthReport report = health.check(HealthGroup.READINESS);

    assertThat(report.up()).isTrue();
    assertThat(report.checks().get("disk_space").details()).containsKey("free_bytes");
    assertThat(report.checks().get("heap").details()).containsKey("used_ratio");
  }

  @Test
  void aDiskBelowTheThresholdIsDown() {
    health.diskSpace(Path.of("."), Long.MAX_VALUE);

    assertThat(health.check(HealthGroup.READINESS).reasons()).containsKey("disk_space");
  }

  @Test
  void overallIsDownWhenAnyGroupIsDown() {
    health.liveness("alive", () -> true);
    health.markStarted();
    health.readiness("ready", () -> false);

    HealthReport all = health.checkAll();

    assertThat(all.up()).isFalse();
    assertThat(all.checks()).containsKeys("alive", "ready", HealthRegistry.STARTED);
    assertThat(all.reasons()).containsEntry("ready", "check returned false");
  }
}
