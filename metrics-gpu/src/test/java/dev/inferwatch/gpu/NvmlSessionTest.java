package dev.inferwatch.gpu;

import static dev.inferwatch.gpu.FakeDriverXidTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.events.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The binding rules of the new calls over the Java fake of {@link Nvml}. */
class NvmlSessionTest {

  private static final long PID = ProcessHandle.current().pid();

  @RegisterExtension final GpuRuns runs = GpuRuns.overJavaFake();
  private final FakeNvml nvml = new FakeNvml();
  private GpuRun run;

  @Test
  void aSymbolMissingFromAnOlderDriverIsUnsupportedNotAFailure() throws Exception {
    nvml.missing("nvmlDeviceGetEnforcedPowerLimit").missing("nvmlDeviceGetRemappedRows");
    run = runs.over(nvml).poll().poll();

    assertThat(nvml.calls(0, "nvmlDeviceGetEnforcedPowerLimit")).isEqualTo(1);
    assertThat(nvml.calls(1, "nvmlDeviceGetRemappedRows")).isEqualTo(1);
    assertThat(run.devices().get(0))
        .doesNotContainKeys("power_limit_watts", "remapped_rows")
        .containsEntry("power_watts", 250.5);
    assertThat(run.samples.value("gpu_power_limit_watts", "gpu", "0")).isNull();
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
    assertThat(run.iw.internalErrors().count("gpu.poll")).isZero();
  }

  @Test
  void olderNamesStandInForMissingNewerOnes() throws Exception {
    nvml.missing("nvmlDeviceGetCurrentClocksEventReasons")
        .missing("nvmlDeviceGetComputeRunningProcesses_v3")
        .missing("nvmlSystemGetCudaDriverVersion_v2")
        .missing("nvmlEventSetWait_v2")
        .reasons(1, 0x80L)
        .process(1, PID, 5L << 20, -1);
    run = runs.over(nvml).poll();

    assertThat(run.reading(1).clockEventReasons()).isEqualTo(0x80L);
    assertThat(run.reading(1).memory().processUsedBytes()).isEqualTo(5L << 20);
    assertThat(run.module.status()).containsEntry("cuda_version", "11.4");
    // Asked once; from then on only the older name.
    assertThat(nvml.calls(0, "nvmlDeviceGetCurrentClocksEventReasons")).isEqualTo(1);
    assertThat(nvml.calls(1, "nvmlDeviceGetCurrentClocksThrottleReasons")).isEqualTo(2);
    nvml.xid(1, 95);
    await(() -> run.samples.value("gpu_xid_errors", "xid", "95") != null);
    assertThat(nvml.calls(-1, "nvmlEventSetWait")).isPositive();
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void insufficientPermissionLeavesTheReadingOut() throws Exception {
    nvml.answer(1, "nvmlDeviceGetComputeRunningProcesses_v3", Nvml.ERROR_NO_PERMISSION);
    run = runs.over(nvml).poll().poll();

    assertThat(nvml.calls(1, "nvmlDeviceGetComputeRunningProcesses_v3")).isEqualTo(1);
    assertThat(run.devices().get(1)).doesNotContainKey("process_memory_used_bytes");
    assertThat(run.devices().get(0)).containsEntry("process_memory_used_bytes", 0L);
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void growsTheProcessListWhenAGpuRunsMoreProcessesThanItHolds() throws Exception {
    for (int i = 0; i < 40; i++) {
      nvml.process(0, 100_000 + i, 1L << 20, -1);
    }
    nvml.process(0, PID, 7L << 20, -1);
    run = runs.over(nvml);
    int afterGrowing = nvml.calls(0, "nvmlDeviceGetComputeRunningProcesses_v3");
    run.poll();

    assertThat(afterGrowing).isEqualTo(2);
    assertThat(nvml.calls(0, "nvmlDeviceGetComputeRunningProcesses_v3")).isEqualTo(3);
    assertThat(run.reading(0).memory().processUsedBytes()).isEqualTo(7L << 20);
  }

  @Test
  void aMemoryTemperatureFieldTheDeviceLacksIsLeftOut() throws Exception {
    nvml.answer(1, "field:memory_temperature", Nvml.ERROR_NOT_SUPPORTED);
    run = runs.over(nvml).poll();

    assertThat(run.reading(0).memoryTemperatureCelsius()).isEqualTo(71.5);
    assertThat(run.reading(1).memoryTemperatureCelsius()).isNull();
    assertThat(nvml.calls(1, "nvmlDeviceGetFieldValues")).isEqualTo(1);
  }

  @Test
  void xidEventsAreCountedAndJournalledAndTheThreadStopsOnClose() throws Exception {
    run = runs.over(nvml);
    XidWatcher watcher = run.module.poller().xids();

    nvml.xid(0, 94);
    await(() -> run.samples.value("gpu_xid_errors", "gpu", "0", "xid", "94") != null);
    assertThat(run.iw.events().recent(5))
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.GPU_XID);
              assertThat(e.message()).isEqualTo("XID 94 on GPU 0: contained ECC error");
            });
    run.module.close();

    assertThat(watcher.alive()).isFalse();
    assertThat(nvml.calls(-1, "nvmlEventSetFree")).isEqualTo(1);
    assertThat(nvml.calls(-1, "nvmlShutdown")).isEqualTo(1);
  }
}
