package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The readings operators page on (clock event reasons, ECC, row remapper, PCIe) and every new
 * call's "not supported" switch, against the fake {@code libnvidia-ml.so} through the real JNA
 * binding.
 */
class FakeDriverHealthTest {

  private static final String GPU0 = "GPU-00000000-0000-0000-0000-000000000000";

  @RegisterExtension final GpuRuns runs = GpuRuns.overFakeDriver();
  private GpuRun run;

  @Test
  void readsHealthReadingsInBaseUnits() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.set(0, "reasons", 0x4L | 0x40L);
    driver.set(0, "ecc_corrected", 17);
    driver.set(0, "ecc_uncorrected", 2);
    driver.set(0, "remap_corr", 5);
    driver.set(0, "remap_unc", 1);
    driver.set(0, "remap_pending", 1);
    driver.set(0, "pcie_replays", 42);
    driver.set(0, "pcie_tx_kbs", 3000);
    run = runs.over(driver);

    GpuReading gpu0 = run.reading(0);
    assertThat(gpu0.clockEventReasons()).isEqualTo(0x44L);
    assertThat(gpu0.eccCorrected()).isEqualTo(17L);
    assertThat(gpu0.eccUncorrected()).isEqualTo(2L);
    assertThat(gpu0.remappedRows()).isEqualTo(new GpuReading.RemappedRows(5, 1, true, false));
    assertThat(gpu0.pcieReplays()).isEqualTo(42L);
    assertThat(gpu0.pcieTxBytesPerSecond()).isEqualTo(3000 * 1024.0);
    assertThat(gpu0.pcieRxBytesPerSecond()).isEqualTo(2000 * 1024.0);

    Samples samples = run.samples;
    assertThat(samples.text())
        .contains(
            "gpu_clock_event_reasons{gpu=\"0\",uuid=\""
                + GPU0
                + "\",gpu_clock_event_reasons=\"hw_thermal\"} 1")
        .contains(
            "gpu_clock_event_reasons{gpu=\"0\",uuid=\""
                + GPU0
                + "\",gpu_clock_event_reasons=\"hw_slowdown\"} 0");
    assertThat(samples.value("gpu_ecc_errors", "gpu", "0", "type", "corrected")).isEqualTo(17.0);
    assertThat(samples.value("gpu_ecc_errors", "gpu", "0", "type", "uncorrected")).isEqualTo(2.0);
    assertThat(samples.value("gpu_remapped_rows", "gpu", "0", "kind", "correctable"))
        .isEqualTo(5.0);
    assertThat(samples.value("gpu_remapped_rows", "gpu", "0", "kind", "pending")).isEqualTo(1.0);
    assertThat(samples.value("gpu_remapped_rows", "gpu", "0", "kind", "failed")).isEqualTo(0.0);
    assertThat(samples.value("gpu_pcie_replays", "gpu", "0")).isEqualTo(42.0);
    assertThat(samples.value("gpu_pcie_throughput_bytes_per_second", "gpu", "0", "direction", "rx"))
        .isEqualTo(2_048_000.0);
    assertThat(run.devices().get(0))
        .containsEntry("clock_event_reasons", List.of("sw_power_cap", "hw_thermal"))
        .containsEntry("ecc_errors", Map.of("corrected", 17L, "uncorrected", 2L));
    assertThat(samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void clockEventReasonsFollowTheDriverFromPollToPoll() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.set(1, "reasons", 0x8L);
    run = runs.over(driver);
    assertThat(run.samples.text()).contains("gpu_clock_event_reasons=\"hw_slowdown\"} 1");

    driver.set(1, "reasons", 0);
    run.poll();

    assertThat(run.devices().get(1)).containsEntry("clock_event_reasons", List.of());
    assertThat(run.samples.text())
        .contains("gpu_clock_event_reasons=\"hw_slowdown\"} 0")
        .doesNotContainPattern("(?m)^gpu_clock_event_reasons\\{.*\\} 1$");
  }

  /** Each new call, answering NOT_SUPPORTED on GPU 1: asked once, left out, never 0. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "memory_clock, memory_clock, memory_clock_hertz, gpu_memory_clock_hertz",
    "memory_temperature, field_values, memory_temperature_celsius, gpu_memory_temperature_celsius",
    "field_values, field_values, memory_temperature_celsius, gpu_memory_temperature_celsius",
    "power_limit, power_limit, power_limit_watts, gpu_power_limit_watts",
    "clock_reasons, clock_reasons, clock_event_reasons, gpu_clock_event_reasons",
    "ecc, ecc, ecc_errors, gpu_ecc_errors",
    "remapped_rows, remapped_rows, remapped_rows, gpu_remapped_rows",
    "pcie_replay, pcie_replay, pcie_replays, gpu_pcie_replays",
    "pcie_throughput, pcie_throughput, pcie_tx_bytes_per_second,"
        + " gpu_pcie_throughput_bytes_per_second",
    "processes, processes, process_memory_used_bytes, gpu_process_memory_used_bytes"
  })
  void aCallTheDeviceDoesNotSupportIsAskedOnceAndLeftOut(
      String call, String counted, String statusKey, String family) throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.fail(1, call, Nvml.ERROR_NOT_SUPPORTED);
    run = runs.over(driver);
    int afterFirstPoll = driver.calls(1, counted);
    run.poll().poll().poll();

    assertThat(run.devices().get(1)).doesNotContainKey(statusKey).doesNotContainKey("nvml_error");
    assertThat(run.devices().get(0)).containsKey(statusKey);
    assertThat(run.samples.value(family, "gpu", "1")).isNull();
    assertThat(run.samples.value(family, "gpu", "0")).isNotNull();
    assertThat(run.samples.value("gpu_nvml_errors")).isNull();
    assertThat(driver.calls(1, counted)).isEqualTo(afterFirstPoll);
    assertThat(driver.calls(0, counted)).isGreaterThan(afterFirstPoll);
  }

  @Test
  void theMemoryClockUnsupportedLeavesTheSmClockAlone() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    driver.fail(1, "memory_clock", Nvml.ERROR_NOT_SUPPORTED);
    run = runs.over(driver);
    int asked = driver.calls(1, "memory_clock");
    run.poll().poll();

    assertThat(driver.calls(1, "memory_clock")).isEqualTo(asked).isEqualTo(1);
    assertThat(run.samples.value("gpu_sm_clock_hertz", "gpu", "1")).isEqualTo(1.411e9);
  }

  @Test
  void countsOtherFailuresOfTheNewCallsByFunction() throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    run = runs.over(driver);
    driver.fail(0, "ecc", Nvml.ERROR_UNKNOWN);
    driver.fail(0, "pcie_throughput", Nvml.ERROR_UNKNOWN);
    run.poll().poll();

    assertThat(run.samples.value("gpu_nvml_errors", "call", "nvmlDeviceGetTotalEccErrors"))
        .isEqualTo(4.0);
    assertThat(run.samples.value("gpu_nvml_errors", "call", "nvmlDeviceGetPcieThroughput"))
        .isEqualTo(4.0);
    assertThat(run.devices().get(0)).doesNotContainKeys("ecc_errors", "pcie_tx_bytes_per_second");
    assertThat(run.devices().get(1)).containsKeys("ecc_errors", "pcie_tx_bytes_per_second");
  }
}
