package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.events.Event;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.core.internal.LabelGuard;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * XID events injected into the fake {@code libnvidia-ml.so} at runtime: counted, journalled,
 * bounded under a flood, and the thread gone within a second of close.
 */
class FakeDriverXidTest {

  private static final String GPU1 = "GPU-00000000-0000-0000-0000-000000000001";

  @RegisterExtension final GpuRuns runs = GpuRuns.overFakeDriver();
  private GpuRun run;

  @Test
  void countsAndJournalsEachXidWithItsDevice() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    run = runs.over(driver);
    assertThat(driver.count("registered")).isEqualTo(2);

    driver.injectXid(1, 79, 1, 0);
    driver.injectXid(0, 13, 2, 0);
    await(() -> xids("0", "13") == 2.0 && xids("1", "79") == 1.0);

    assertThat(run.samples.value("gpu_xid_errors", "gpu", "1", "uuid", GPU1, "xid", "79"))
        .isEqualTo(1.0);
    List<Event> events =
        run.iw.events().recent(10).stream().filter(e -> e.type() == EventType.GPU_XID).toList();
    assertThat(events).hasSize(3);
    Event gpu1 = events.stream().filter(e -> e.subject().equals("gpu 1")).findFirst().orElseThrow();
    assertThat(gpu1.message()).isEqualTo("XID 79 on GPU 1: GPU has fallen off the bus");
    assertThat(gpu1.fields())
        .containsEntry("gpu", "1")
        .containsEntry("uuid", GPU1)
        .containsEntry("xid", 79L);
    assertThat(run.samples.value("inferwatch_events", "type", "gpu_xid")).isEqualTo(3.0);

    run.poll();
    assertThat(run.devices().get(0)).containsEntry("xid_errors", 2L).containsEntry("last_xid", 13L);
    assertThat(run.devices().get(1)).containsEntry("xid_errors", 1L).containsEntry("last_xid", 79L);
  }

  @Test
  void theThreadStopsWithinASecondOfCloseAndFreesItsEventSet() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    run = runs.over(driver);
    XidWatcher watcher = run.module.poller().xids();
    assertThat(watcher.alive()).isTrue();
    assertThat(xidThreads()).isEqualTo(1);

    long start = System.nanoTime();
    run.module.close();
    long closedMillis = (System.nanoTime() - start) / 1_000_000;

    // close() waits at most a second for the thread; a thread still alive here missed that.
    assertThat(watcher.alive()).as("XID thread alive after close (%d ms)", closedMillis).isFalse();
    assertThat(xidThreads()).isZero();
    assertThat(driver.count("event_set_free")).isEqualTo(1);
    assertThat(driver.count("shutdown")).isEqualTo(1);
  }

  @Test
  void aFloodOfTenThousandXidsKeepsLabelValuesBounded() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    run = runs.over(driver);

    assertThat(driver.injectXid(0, 1, 10_000, 1)).isEqualTo(10_000);
    await(() -> totalXids() == 10_000.0);

    Set<String> values = xidLabelValues();
    assertThat(values).hasSize(GpuMetrics.XID_VALUES + 1).contains(LabelGuard.OVERFLOW);
    assertThat(run.samples.value("gpu_xid_errors", "xid", LabelGuard.OVERFLOW))
        .isEqualTo(10_000.0 - GpuMetrics.XID_VALUES);
    assertThat(run.samples.value("inferwatch_label_overflow", "family", "gpu_xid_errors_total"))
        .isEqualTo(10_000.0 - GpuMetrics.XID_VALUES);
    // The journal takes the first of each second one by one, then one summary.
    await(() -> journalled().stream().anyMatch(e -> e.fields().containsKey("suppressed")));
    assertThat(journalled()).hasSizeLessThan(200);
    run.poll();
    assertThat(run.devices().get(0)).containsEntry("xid_errors", 10_000L);
  }

  @Test
  void noEventApiMeansNoThread() throws Exception {
    run = runs.over(FakeDriver.get(FakeDriver.Variant.WITHOUT_EVENTS));

    assertThat(run.module.poller().xids()).isNull();
    assertThat(xidThreads()).isZero();
    assertThat(run.devices().get(0)).doesNotContainKey("xid_errors");
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
    assertThat(run.samples.value("gpu_power_watts", "gpu", "0")).isEqualTo(150.0);
  }

  @Test
  void noDeviceSupportingXidEventsMeansNoThreadAndTheSetFreed() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.fail(0, "events", Nvml.ERROR_NOT_SUPPORTED);
    driver.fail(1, "events", Nvml.ERROR_NOT_SUPPORTED);
    run = runs.over(driver);

    assertThat(run.module.poller().xids()).isNull();
    assertThat(xidThreads()).isZero();
    assertThat(driver.count("event_set_create")).isEqualTo(1);
    assertThat(driver.count("event_set_free")).isEqualTo(1);
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void anEventSetTheDriverRefusesMeansNoThread() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.set(-1, "event_set_rc", Nvml.ERROR_NOT_SUPPORTED);
    run = runs.over(driver);

    assertThat(run.module.poller().xids()).isNull();
    assertThat(xidThreads()).isZero();
  }

  @Test
  void aFailingWaitIsCountedWithoutSpinning() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    run = runs.over(driver);
    driver.set(-1, "event_wait_rc", Nvml.ERROR_UNKNOWN);

    await(() -> waitErrors() >= 2);
    int waits = driver.count("event_wait");

    // One failed wait per 200 ms pause: a spinning thread would make thousands in this time.
    Thread.sleep(400);
    assertThat(driver.count("event_wait") - waits).isLessThan(50);
    driver.set(-1, "event_wait_rc", Nvml.SUCCESS);
    driver.injectXid(1, 48, 1, 0);
    await(() -> xids("1", "48") == 1.0);
  }

  private double waitErrors() {
    Double n = run.samples.value("gpu_nvml_errors", "call", "nvmlEventSetWait_v2");
    return n == null ? 0 : n;
  }

  private double xids(String gpu, String xid) {
    Double n = run.samples.value("gpu_xid_errors", "gpu", gpu, "xid", xid);
    return n == null ? 0 : n;
  }

  private List<Event> journalled() {
    return run.iw.events().recent(1_000).stream()
        .filter(e -> e.type() == EventType.GPU_XID)
        .toList();
  }

  private double totalXids() {
    return xidPoints().stream()
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }

  private Set<String> xidLabelValues() {
    return xidPoints().stream().map(p -> p.getLabels().get("xid")).collect(Collectors.toSet());
  }

  private List<CounterSnapshot.CounterDataPointSnapshot> xidPoints() {
    for (MetricSnapshot snapshot : run.registry.scrape()) {
      if (snapshot.getMetadata().getName().equals("gpu_xid_errors")) {
        return ((CounterSnapshot) snapshot).getDataPoints();
      }
    }
    return List.of();
  }

  static long xidThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(XidWatcher.THREAD_NAME) && t.isAlive())
        .count();
  }

  /** Waits up to 20 s for {@code condition}; events cross a thread, so tests wait for them. */
  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
