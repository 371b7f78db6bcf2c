package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The poller, snapshot and metrics logic over the Java fake of {@link Nvml}. */
class GpuPollerTest {

  @RegisterExtension final GpuRuns runs = GpuRuns.overJavaFake();
  private final FakeNvml nvml = new FakeNvml();
  private Inferwatch iw;
  private GpuModule module;
  private Samples samples;

  private void start(Duration interval) throws InterruptedException {
    GpuRun run = runs.over(nvml, interval);
    iw = run.iw;
    module = run.module;
    samples = run.samples;
  }

  @Test
  void statusFollowsTheModuleContract() throws Exception {
    start(Duration.ofHours(1));

    Map<String, Object> status = module.status();
    assertThat(status).containsOnlyKeys("available", "driver_version", "cuda_version", "devices");
    assertThat(status)
        .containsEntry("available", true)
        .containsEntry("driver_version", "535.0")
        .containsEntry("cuda_version", "12.2");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> devices = (List<Map<String, Object>>) status.get("devices");
    assertThat(devices.get(1))
        .containsExactly(
            Map.entry("index", 1),
            Map.entry("uuid", "GPU-fake-1"),
            Map.entry("name", "Fake A100 1"),
            Map.entry("mig_mode", "disabled"),
            Map.entry("utilization_ratio", 0.75),
            Map.entry("memory_copy_utilization_ratio", 0.30),
            Map.entry("memory_used_bytes", 10L << 30),
            Map.entry("memory_free_bytes", (30L << 30) - (1L << 29)),
            Map.entry("memory_reserved_bytes", 1L << 29),
            Map.entry("memory_total_bytes", 40L << 30),
            Map.entry("process_memory_used_bytes", 0L),
            Map.entry("temperature_celsius", 64.0),
            Map.entry("memory_temperature_celsius", 71.5),
            Map.entry("power_watts", 250.5),
            Map.entry("power_limit_watts", 400.0),
            Map.entry("energy_joules", 123_456.789),
            Map.entry("sm_clock_hertz", 1.095e9),
            Map.entry("memory_clock_hertz", 1.593e9),
            Map.entry("clock_event_reasons", List.of()),
            Map.entry("ecc_errors", Map.of("corrected", 12L, "uncorrected", 2L)),
            Map.entry(
                "remapped_rows",
                Map.of("correctable", 3L, "uncorrectable", 1L, "pending", true, "failed", false)),
            Map.entry("pcie_replays", 5L),
            Map.entry("pcie_tx_bytes_per_second", 102_400.0),
            Map.entry("pcie_rx_bytes_per_second", 204_800.0),
            Map.entry("xid_errors", 0L));
  }

  @Test
  void scrapesAndStatusReadTheSnapshotWithoutCallingNvml() throws Exception {
    start(Duration.ofHours(1));
    int calls = nvml.totalCalls();

    for (int i = 0; i < 10; i++) {
      samples.text();
      module.status();
    }

    assertThat(nvml.callsFrom(Thread.currentThread())).isZero();
    assertThat(nvml.totalCalls()).isEqualTo(calls);
    assertThat(samples.value("gpu_power_watts", "gpu", "0", "uuid", "GPU-fake-0")).isEqualTo(250.5);
  }

  @Test
  void neverAsksAgainForAFieldTheDeviceDoesNotSupport() throws Exception {
    nvml.answer(0, "nvmlDeviceGetTotalEnergyConsumption", Nvml.ERROR_NOT_SUPPORTED);
    nvml.answer(0, "nvmlDeviceGetUtilizationRates", Nvml.ERROR_FUNCTION_NOT_FOUND);
    start(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      module.poller().poll();
    }

    assertThat(nvml.calls(0, "nvmlDeviceGetTotalEnergyConsumption")).isEqualTo(1);
    assertThat(nvml.calls(0, "nvmlDeviceGetUtilizationRates")).isEqualTo(1);
    assertThat(nvml.calls(1, "nvmlDeviceGetTotalEnergyConsumption")).isEqualTo(4);
    assertThat(samples.value("gpu_energy_joules", "gpu", "0")).isNull();
    assertThat(samples.value("gpu_utilization_ratio", "gpu", "0")).isNull();
    assertThat(samples.value("gpu_memory_copy_utilization_ratio", "gpu", "0")).isNull();
    assertThat(samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void keepsPollingAfterAPollThrows() throws Exception {
    nvml.throwOnce("nvmlDeviceGetClockInfo", new IllegalStateException("JNA glitch"));
    start(Duration.ofMillis(20));

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (samples.value("gpu_poll_duration_seconds") < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(samples.value("gpu_poll_duration_seconds")).isGreaterThanOrEqualTo(3.0);
    assertThat(iw.internalErrors().count("gpu.poll")).isEqualTo(1);
    assertThat(samples.value("gpu_sm_clock_hertz", "gpu", "0")).isEqualTo(1.095e9);
  }

  @Test
  void labelsADeviceWhoseUuidCannotBeReadAsUnknown() throws Exception {
    nvml.answer(1, "nvmlDeviceGetUUID", Nvml.ERROR_UNKNOWN);
    start(Duration.ofHours(1));

    assertThat(samples.value("gpu_temperature_celsius", "gpu", "1", "uuid", "unknown"))
        .isEqualTo(64.0);
    assertThat(samples.value("gpu_nvml_errors", "call", "nvmlDeviceGetUUID")).isEqualTo(1.0);
  }

  @Test
  void reportsADeviceWhoseHandleCannotBeHadAndReadsTheOther() throws Exception {
    nvml.answer(0, "nvmlDeviceGetHandleByIndex_v2", Nvml.ERROR_NO_PERMISSION);
    start(Duration.ofHours(1));

    GpuSnapshot snapshot = module.snapshot();
    assertThat(snapshot.devices().get(0).error()).isEqualTo("Fake error (4)");
    assertThat(snapshot.devices().get(1).powerWatts()).isEqualTo(250.5);
    assertThat(samples.value("gpu_power_watts", "gpu", "0")).isNull();
  }

  @Test
  void closeIsIdempotentAndShutsNvmlDownOnce() throws Exception {
    start(Duration.ofMillis(20));
    module.close();
    module.close();
    iw.close();

    assertThat(nvml.calls(-1, "nvmlShutdown")).isEqualTo(1);
    assertThat(module.status()).containsEntry("available", false);
    assertThat(GpuModuleTest.gpuThreadsWithin(Duration.ofSeconds(10))).isZero();
  }
}
