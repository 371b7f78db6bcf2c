package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GPU module against a fake {@code libnvidia-ml.so} written in C and loaded through the real
 * JNA binding: proves signatures, struct layouts and return codes, not just the poller's logic.
 */
class FakeDriverTest {

  private static final String GPU0 = "GPU-00000000-0000-0000-0000-000000000000";
  private static final String GPU1 = "GPU-00000000-0000-0000-0000-000000000001";

  @RegisterExtension final GpuRuns runs = GpuRuns.overFakeDriver();
  private GpuRun run;
  private GpuModule module;
  private Samples samples;

  private FakeDriver start(FakeDriver.Variant variant) throws InterruptedException {
    return start(variant, driver -> {});
  }

  private FakeDriver start(FakeDriver.Variant variant, Consumer<FakeDriver> setup)
      throws InterruptedException {
    FakeDriver driver = FakeDriver.get(variant);
    setup.accept(driver);
    run = runs.over(driver);
    module = run.module;
    samples = run.samples;
    return driver;
  }

  @Test
  void readsEveryBoundCallInBaseUnits() throws Exception {
    FakeDriver driver = start(FakeDriver.Variant.CURRENT);

    GpuSnapshot snapshot = module.snapshot();
    assertThat(snapshot.up()).isTrue();
    assertThat(snapshot.driverVersion()).isEqualTo("550.54.15");
    assertThat(snapshot.devices()).hasSize(2);
    GpuReading gpu0 = snapshot.devices().get(0);
    assertThat(gpu0.uuid()).isEqualTo(GPU0);
    assertThat(gpu0.name()).isEqualTo("NVIDIA Fake H100 80GB HBM3 #0");
    assertThat(gpu0.utilizationRatio()).isEqualTo(0.40);
    assertThat(gpu0.memoryCopyUtilizationRatio()).isEqualTo(0.20);
    assertThat(gpu0.memory().totalBytes()).isEqualTo(85_899_345_920L);
    // v2 excludes the 512 MiB reservation: the version word and the padded layout were accepted.
    assertThat(gpu0.memory().usedBytes()).isEqualTo(1_073_741_824L);
    assertThat(gpu0.memory().reservedBytes()).isEqualTo(536_870_912L);
    assertThat(gpu0.memory().freeBytes()).isEqualTo(85_899_345_920L - 1_610_612_736L);
    assertThat(gpu0.memoryTemperatureCelsius()).isEqualTo(60.0);
    assertThat(gpu0.powerLimitWatts()).isEqualTo(700.0);
    assertThat(gpu0.memoryClockHertz()).isEqualTo(2.619e9);
    assertThat(gpu0.migMode()).isEqualTo("disabled");
    assertThat(snapshot.cudaVersion()).isEqualTo("12.4");
    assertThat(gpu0.temperatureCelsius()).isEqualTo(50.0);
    assertThat(gpu0.powerWatts()).isEqualTo(150.0);
    assertThat(gpu0.energyJoules()).isEqualTo(1001.5);
    assertThat(gpu0.smClockHertz()).isEqualTo(1.410e9);
    assertThat(gpu0.error()).isNull();
    assertThat(snapshot.devices().get(1).uuid()).isEqualTo(GPU1);
    assertThat(snapshot.devices().get(1).powerWatts()).isEqualTo(151.0);
    assertThat(driver.count("memory_v2")).isEqualTo(2);
    assertThat(driver.count("memory_v1")).isZero();

    assertThat(samples.value("gpu_nvml_up")).isEqualTo(1.0);
    assertThat(samples.value("gpu_utilization_ratio", "gpu", "1", "uuid", GPU1)).isEqualTo(0.41);
    assertThat(samples.value("gpu_memory_used_bytes", "gpu", "1")).isEqualTo(2_147_483_648.0);
    assertThat(samples.value("gpu_temperature_celsius", "gpu", "1")).isEqualTo(51.0);
    assertThat(samples.value("gpu_sm_clock_hertz", "gpu", "1")).isEqualTo(1.411e9);
    assertThat(samples.value("gpu_energy_joules", "gpu", "1")).isEqualTo(2001.5);
    assertThat(samples.value("gpu_memory_copy_utilization_ratio", "gpu", "1")).isEqualTo(0.21);
    assertThat(samples.value("gpu_memory_free_bytes", "gpu", "1"))
        .isEqualTo(85_899_345_920.0 - 2_684_354_560.0);
    assertThat(samples.value("gpu_memory_reserved_bytes", "gpu", "1")).isEqualTo(536_870_912.0);
    assertThat(samples.value("gpu_memory_temperature_celsius", "gpu", "1")).isEqualTo(61.0);
    assertThat(samples.value("gpu_power_limit_watts", "gpu", "1")).isEqualTo(700.0);
    assertThat(samples.value("gpu_memory_clock_hertz", "gpu", "1")).isEqualTo(2.62e9);
    assertThat(samples.value("gpu_poll_duration_seconds")).isEqualTo(1.0);
    assertThat(samples.text())
        .contains(
            "gpu_info{cuda_version=\"12.4\",driver_version=\"550.54.15\",gpu=\"0\","
                + "mig_mode=\"disabled\",name=\"NVIDIA Fake H100 80GB HBM3 #0\",uuid=\""
                + GPU0
                + "\"} 1")
        .doesNotContain("gpu_memory_utilization_ratio")
        .doesNotContain("gpu_nvml_errors_total{");
  }

  @Test
  void energyCounterOnlyGrowsAndClockIsInHertz() throws Exception {
    FakeDriver driver = start(FakeDriver.Variant.CURRENT);
    driver.set(0, "sm_mhz", 1980);
    driver.set(0, "energy_step_mj", 2500);

    double previous = samples.value("gpu_energy_joules", "gpu", "0");
    for (int i = 0; i < 5; i++) {
      module.poller().poll();
      double now = samples.value("gpu_energy_joules", "gpu", "0");
      assertThat(now).isEqualTo(previous + 2.5);
      previous = now;
    }
    assertThat(samples.value("gpu_sm_clock_hertz", "gpu", "0")).isEqualTo(1.98e9);
    assertThat(samples.value("gpu_poll_duration_seconds")).isEqualTo(6.0);
  }

  @Test
  void leavesOutFieldsADeviceDoesNotSupportWithoutCountingErrors() throws Exception {
    start(
        FakeDriver.Variant.CURRENT,
        driver -> {
          driver.fail(1, "power", Nvml.ERROR_NOT_SUPPORTED);
          driver.fail(1, "energy", Nvml.ERROR_NOT_SUPPORTED);
          driver.fail(1, "clock", Nvml.ERROR_NOT_SUPPORTED);
        });
    module.poller().poll();

    Map<String, Object> gpu1 = devices().get(1);
    assertThat(gpu1)
        .containsKeys("utilization_ratio", "memory_used_bytes", "temperature_celsius")
        .doesNotContainKeys("power_watts", "energy_joules", "sm_clock_hertz", "nvml_error");
    assertThat(devices().get(0)).containsKeys("power_watts", "energy_joules", "sm_clock_hertz");
    assertThat(samples.value("gpu_power_watts", "gpu", "1")).isNull();
    assertThat(samples.value("gpu_power_watts", "gpu", "0")).isEqualTo(150.0);
    assertThat(samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void reportsADeviceLostMidRunAndKeepsReadingTheOthers() throws Exception {
    FakeDriver driver = start(FakeDriver.Variant.CURRENT);
    assertThat(samples.value("gpu_power_watts", "gpu", "1")).isEqualTo(151.0);

    driver.fail(1, "*", Nvml.ERROR_GPU_IS_LOST);
    module.poller().poll();
    driver.set(0, "temp", 77);
    module.poller().poll();

    assertThat(devices().get(1))
        .containsEntry("nvml_error", "GPU is lost (15)")
        .containsEntry("uuid", GPU1)
        .doesNotContainKeys("power_watts", "utilization_ratio");
    assertThat(samples.value("gpu_power_watts", "gpu", "1")).isNull();
    assertThat(samples.value("gpu_temperature_celsius", "gpu", "0")).isEqualTo(77.0);
    // One error per poll (the first call finds the GPU lost, the rest are skipped).
    assertThat(samples.value("gpu_nvml_errors", "call", "nvmlDeviceGetUtilizationRates"))
        .isEqualTo(2.0);
    assertThat(module.status()).containsEntry("available", true);
  }

  @Test
  void countsOtherFailuresByCall() throws Exception {
    FakeDriver driver = start(FakeDriver.Variant.CURRENT);
    driver.fail(0, "temperature", Nvml.ERROR_UNKNOWN);
    module.poller().poll();
    module.poller().poll();

    assertThat(samples.value("gpu_nvml_errors", "call", "nvmlDeviceGetTemperature")).isEqualTo(2.0);
    assertThat(devices().get(0)).doesNotContainKey("temperature_celsius");
    assertThat(devices().get(1)).containsEntry("temperature_celsius", 51.0);
  }

  @Test
  void fallsBackToMemoryInfoV1WhenTheDriverRejectsV2() throws Exception {
    FakeDriver driver =
        start(
            FakeDriver.Variant.CURRENT,
            d -> d.set(-1, "memory_v2_rc", Nvml.ERROR_ARGUMENT_VERSION_MISMATCH));
    module.poller().poll();

    // v1 counts the reservation as used.
    assertThat(devices().get(0)).containsEntry("memory_used_bytes", 1_610_612_736L);
    assertThat(driver.count("memory_v2")).isEqualTo(1);
    assertThat(driver.count("memory_v1")).isEqualTo(4);
    assertThat(samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void fallsBackToMemoryInfoV1OnADriverWithoutTheV2Function() throws Exception {
    FakeDriver driver = start(FakeDriver.Variant.WITHOUT_MEMORY_V2);

    assertThat(devices().get(1)).containsEntry("memory_used_bytes", 2_684_354_560L);
    assertThat(driver.count("memory_v1")).isEqualTo(2);
    assertThat(samples.value("gpu_nvml_errors")).isNull();
  }

  @Test
  void reportsNvmlDownWhenInitFails() throws Exception {
    start(FakeDriver.Variant.CURRENT, d -> d.set(-1, "init_rc", Nvml.ERROR_DRIVER_NOT_LOADED));

    assertThat(module.status())
        .containsEntry("available", false)
        .containsEntry("nvml_error", "nvmlInit_v2 failed: Driver Not Loaded (9)")
        .containsEntry("devices", List.of());
    assertThat(samples.value("gpu_nvml_up")).isEqualTo(0.0);
    assertThat(samples.value("gpu_nvml_errors", "call", "nvmlInit_v2")).isEqualTo(1.0);
    assertThat(GpuModuleTest.gpuThreadsWithin(Duration.ofSeconds(10))).isZero();
  }

  @Test
  void closeShutsNvmlDownOnceAndStopsTheThread() throws Exception {
    FakeDriver driver = start(FakeDriver.Variant.CURRENT);
    run.close();
    module.close();

    assertThat(driver.count("shutdown")).isEqualTo(1);
    assertThat(samples.value("gpu_nvml_up")).isEqualTo(0.0);
    assertThat(GpuModuleTest.gpuThreadsWithin(Duration.ofSeconds(10))).isZero();
    module.poller().poll();
    assertThat(driver.count("memory_v2")).isEqualTo(2);
  }

  private List<Map<String, Object>> devices() {
    return run.devices();
  }
}
