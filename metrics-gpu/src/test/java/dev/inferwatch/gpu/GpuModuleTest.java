package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The module without any NVIDIA driver: discovery, graceful absence and configuration. */
class GpuModuleTest {

  private static final String MISSING = "/nonexistent/libnvidia-ml.so.1";

  @Test
  void joinsEveryInferwatchThroughServiceLoader() {
    System.setProperty("inferwatch.nvml_library", MISSING);
    try (Inferwatch iw =
        Inferwatch.builder().registry(new PrometheusRegistry()).jvmMetrics(false).build()) {
      assertThat(iw.module("gpu")).get().isInstanceOf(GpuModule.class);
      assertThat(iw.module("gpu").orElseThrow().status()).containsEntry("available", false);
    } finally {
      System.clearProperty("inferwatch.nvml_library");
    }
  }

  @Test
  void withoutTheLibraryReportsNvmlDownLogsOneLineAndStartsNoThread() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    GpuModule module = GpuModule.builder().library(MISSING).build();
    String log;
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (Inferwatch iw = started(registry, module)) {
      Map<String, Object> status = module.status();
      assertThat(status).containsEntry("available", false).containsEntry("devices", List.of());
      assertThat((String) status.get("nvml_error"))
          .startsWith("NVIDIA driver library not found")
          .contains(MISSING);
      Samples samples = new Samples(registry);
      assertThat(samples.value("gpu_nvml_up")).isEqualTo(0.0);
      assertThat(samples.text()).contains("gpu_nvml_up 0.0").doesNotContain("gpu_power_watts{");
      assertThat(module.poller()).isNull();
      assertThat(gpuThreadsWithin(Duration.ZERO)).isZero();
    } finally {
      System.setErr(stderr);
      log = captured.toString(StandardCharsets.UTF_8);
    }
    assertThat(log.lines().filter(line -> line.contains("GPU"))).hasSize(1);
    assertThat(log).contains("INFO").contains("GPU telemetry off");
  }

  @Test
  void canBeSwitchedOff() {
    GpuModule module =
        GpuModule.builder()
            .settings(Settings.of(Map.of("INFERWATCH_GPU_ENABLED", "false"), key -> null))
            .build();
    try (Inferwatch iw = started(new PrometheusRegistry(), module)) {
      assertThat(module.status())
          .containsEntry("available", false)
          .containsEntry("nvml_error", "disabled (INFERWATCH_GPU_ENABLED=false)");
    }
  }

  @Test
  void appliesNamespaceAndConstLabels() {
    PrometheusRegistry registry = new PrometheusRegistry();
    GpuModule module = GpuModule.builder().library(MISSING).build();
    try (Inferwatch iw =
        Inferwatch.builder()
            .registry(registry)
            .jvmMetrics(false)
            .discoverModules(false)
            .namespace("gatewayz")
            .service("router")
            .environment("prod")
            .module(module)
            .build()) {
      assertThat(new Samples(registry).text())
          .contains("gatewayz_gpu_nvml_up{env=\"prod\",service=\"router\"} 0.0");
    }
  }

  @ParameterizedTest
  @CsvSource({"5, 5000", "0.5, 500", "250ms, 250", "2s, 2000", "1m, 60000", "PT3S, 3000"})
  void parsesIntervals(String text, long millis) {
    assertThat(GpuModule.Builder.parseInterval(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "5 hours", "ms"})
  void rejectsMalformedIntervalsNamingTheSetting(String text) {
    assertThatThrownBy(
            () ->
                GpuModule.builder()
                    .settings(Settings.of(Map.of("INFERWATCH_GPU_INTERVAL", text), key -> null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INFERWATCH_GPU_INTERVAL")
        .hasMessageContaining(text);
  }

  @Test
  void rejectsIntervalsShorterThanTenMillis() {
    assertThatThrownBy(() -> GpuModule.builder().interval(Duration.ofMillis(1)))
        .hasMessageContaining("at least 10 ms")
        .hasMessageContaining("PT0.001S");
  }

  @Test
  void startsOnceEvenWhenJoinedTwice() {
    PrometheusRegistry registry = new PrometheusRegistry();
    GpuModule module = GpuModule.builder().library(MISSING).build();
    try (Inferwatch iw = started(registry, module)) {
      module.start(iw);
      assertThat(new Samples(registry).value("gpu_nvml_up")).isEqualTo(0.0);
      assertThat(iw.internalErrors().count("modules.start")).isZero();
    }
  }

  @Test
  void closeIsIdempotentEvenWhenNeverStarted() {
    GpuModule module = GpuModule.builder().library(MISSING).build();
    module.close();
    module.close();
    assertThat(module.status()).containsEntry("available", false);
  }

  private static Inferwatch started(PrometheusRegistry registry, GpuModule module) {
    return Inferwatch.builder()
        .registry(registry)
        .jvmMetrics(false)
        .discoverModules(false)
        .module(module)
        .build();
  }

  /** Live GPU threads (poller and XID) once they had up to {@code timeout} to end. */
  static long gpuThreadsWithin(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long alive =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("inferwatch-gpu-") && t.isAlive())
              .count();
      if (alive == 0 || System.nanoTime() > deadline) {
        return alive;
      }
      Thread.sleep(20);
    }
  }
}
