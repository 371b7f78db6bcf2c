package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A driver from before R450 (the fake built without every symbol added since): JNA cannot find
 * those functions, which reads as FUNCTION_NOT_FOUND — older names are used where they exist, the
 * rest is left out, and nothing counts as an NVML failure.
 */
class FakeDriverOldTest {

  private static final long PID = ProcessHandle.current().pid();

  @RegisterExtension final GpuRuns runs = GpuRuns.overFakeDriver();
  private GpuRun run;

  @Test
  void missingSymbolsAreUnsupportedFieldsNotFailures() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.OLD_DRIVER);
    driver.set(0, "reasons", 0x20L);
    driver.process(0, PID, 64L << 20, FakeDriver.NO_INSTANCE);
    run = runs.over(driver);
    run.poll();

    GpuReading gpu0 = run.reading(0);
    // Older names: throttle reasons, processes v2, NVML's own CUDA version table.
    assertThat(gpu0.clockEventReasons()).isEqualTo(0x20L);
    assertThat(gpu0.memory().processUsedBytes()).isEqualTo(64L << 20);
    assertThat(run.module.snapshot().cudaVersion()).isEqualTo("11.8");
    // Gone for good: no row remapper, no MIG, and memory v1 without a reserved part.
    assertThat(gpu0.remappedRows()).isNull();
    assertThat(gpu0.migMode()).isEqualTo("unsupported");
    assertThat(gpu0.memory().reservedBytes()).isNull();
    assertThat(gpu0.memory().usedBytes()).isEqualTo(1_610_612_736L);
    assertThat(gpu0.powerLimitWatts()).isEqualTo(700.0);
    assertThat(run.samples.value("gpu_remapped_rows", "gpu", "0")).isNull();
    assertThat(run.samples.text())
        .contains("gpu_clock_event_reasons=\"sw_thermal\"} 1")
        .contains("cuda_version=\"11.8\"");
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
    assertThat(run.iw.internalErrors().count("gpu.poll")).isZero();
  }

  @Test
  void xidEventsArriveThroughTheOlderWait() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.OLD_DRIVER);
    run = runs.over(driver);
    assertThat(run.module.poller().xids()).isNotNull();

    driver.injectXid(1, 31, 1, 0);

    FakeDriverXidTest.await(
        () -> {
          Double n = run.samples.value("gpu_xid_errors", "gpu", "1", "xid", "31");
          return n != null && n == 1.0;
        });
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
  }
}
