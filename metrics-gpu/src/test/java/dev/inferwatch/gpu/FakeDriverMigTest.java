package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * This process's own memory on a shared GPU and MIG instances as their own {@code gpu} label
 * values, against the fake {@code libnvidia-ml.so} through the real JNA binding.
 */
class FakeDriverMigTest {

  private static final long PID = ProcessHandle.current().pid();
  private static final long FOREIGN_PID = 4_000_000L;
  private static final long MIB = 1L << 20;
  private static final String MIG01 = "MIG-00000000-0000-0000-0000-000000000001";
  private static final String MIG02 = "MIG-00000000-0000-0000-0000-000000000002";

  @RegisterExtension final GpuRuns runs = GpuRuns.overFakeDriver();
  private GpuRun run;

  @Test
  void countsOnlyThisProcessInTheProcessList() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.process(1, FOREIGN_PID, 1024 * MIB, FakeDriver.NO_INSTANCE);
    driver.process(1, PID, 256 * MIB, FakeDriver.NO_INSTANCE);
    driver.process(0, FOREIGN_PID, 2048 * MIB, FakeDriver.NO_INSTANCE);
    run = runs.over(driver);

    assertThat(run.reading(1).memory().processUsedBytes()).isEqualTo(256 * MIB);
    assertThat(run.samples.value("gpu_process_memory_used_bytes", "gpu", "1"))
        .isEqualTo(256.0 * MIB);
    // Only a foreign process on GPU 0: ours holds nothing there, which is a reading, not a gap.
    assertThat(run.samples.value("gpu_process_memory_used_bytes", "gpu", "0")).isEqualTo(0.0);
    assertThat(run.devices().get(1))
        .containsEntry("process_memory_used_bytes", 256 * MIB)
        .containsEntry("memory_used_bytes", 2048 * MIB);
  }

  @Test
  void migOnMakesEachInstanceItsOwnGpuForMemoryAndProcessMemory() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.set(0, "mig", 2);
    driver.process(0, PID, 300 * MIB, 1);
    driver.process(0, FOREIGN_PID, 500 * MIB, 2);
    driver.process(0, PID, 100 * MIB, 2);
    run = runs.over(driver);
    Samples samples = run.samples;

    assertThat(samples.value("gpu_memory_used_bytes", "gpu", "0/1", "uuid", MIG01))
        .isEqualTo(512.0 * MIB);
    assertThat(samples.value("gpu_memory_total_bytes", "gpu", "0/2", "uuid", MIG02))
        .isEqualTo(20_480.0 * MIB);
    assertThat(samples.value("gpu_memory_free_bytes", "gpu", "0/2"))
        .isEqualTo((20_480.0 - 1024) * MIB);
    assertThat(samples.value("gpu_process_memory_used_bytes", "gpu", "0/1")).isEqualTo(300.0 * MIB);
    assertThat(samples.value("gpu_process_memory_used_bytes", "gpu", "0/2")).isEqualTo(100.0 * MIB);
    // The physical GPU keeps its own memory and utilization, not a second count of the process.
    assertThat(samples.value("gpu_process_memory_used_bytes", "gpu", "0")).isNull();
    assertThat(samples.value("gpu_memory_total_bytes", "gpu", "0")).isEqualTo(85_899_345_920.0);
    assertThat(samples.value("gpu_utilization_ratio", "gpu", "0")).isEqualTo(0.40);
    assertThat(samples.value("gpu_utilization_ratio", "gpu", "0/1")).isNull();
    assertThat(samples.text()).contains("mig_mode=\"enabled\"").contains("mig_mode=\"disabled\"");
    assertThat(run.devices().get(0))
        .containsEntry("mig_mode", "enabled")
        .containsEntry(
            "mig_instances",
            List.of(
                Map.of(
                    "gpu", "0/1",
                    "uuid", MIG01,
                    "memory_used_bytes", 512 * MIB,
                    "memory_free_bytes", (10_240 - 512) * MIB,
                    "memory_reserved_bytes", 0L,
                    "memory_total_bytes", 10_240 * MIB,
                    "process_memory_used_bytes", 300 * MIB),
                Map.of(
                    "gpu", "0/2",
                    "uuid", MIG02,
                    "memory_used_bytes", 1024 * MIB,
                    "memory_free_bytes", (20_480 - 1024) * MIB,
                    "memory_reserved_bytes", 0L,
                    "memory_total_bytes", 20_480 * MIB,
                    "process_memory_used_bytes", 100 * MIB)));
    assertThat(samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void aGpuWithoutMigSaysSoInGpuInfo() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.set(1, "mig_capable", 0);
    run = runs.over(driver);

    assertThat(run.devices().get(1)).containsEntry("mig_mode", "unsupported");
    assertThat(run.samples.text()).contains("gpu=\"1\",mig_mode=\"unsupported\"");
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
  }
}
