package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An Inferwatch with the GPU module over a fake driver (the C library or the Java fake), started
 * and waited for until its first poll; over the C library the poll interval is an hour, so every
 * poll after the first is the test's. {@link GpuRuns} starts and closes them for a test.
 */
final class GpuRun implements AutoCloseable {

  final PrometheusRegistry registry = new PrometheusRegistry();
  final Samples samples = new Samples(registry);
  final GpuModule module;
  final Inferwatch iw;

  private GpuRun(GpuModule.Builder builder) throws InterruptedException {
    module = builder.build();
    iw =
        Inferwatch.builder()
            .registry(registry)
            .jvmMetrics(false)
            .discoverModules(false)
            .module(module)
            .build();
    assertThat(module.poller().awaitFirstPoll(Duration.ofSeconds(30))).isTrue();
  }

  /** Over the compiled fake {@code libnvidia-ml.so}, through the real JNA binding. */
  static GpuRun over(FakeDriver driver) throws InterruptedException {
    return new GpuRun(
        GpuModule.builder().library(driver.library.toString()).interval(Duration.ofHours(1)));
  }

  /** Over a Java implementation of {@link Nvml}, polled every {@code interval}. */
  static GpuRun over(Nvml nvml, Duration interval) throws InterruptedException {
    return new GpuRun(GpuModule.builder().nvml(nvml).interval(interval));
  }

  /** One more poll, on the test's thread. */
  GpuRun poll() {
    module.poller().poll();
    return this;
  }

  /** The {@code devices} of the module status ({@code /health/gpu}). */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> devices() {
    return (List<Map<String, Object>>) module.status().get("devices");
  }

  GpuReading reading(int index) {
    return module.snapshot().devices().get(index);
  }

  @Override
  public void close() {
    iw.close();
  }
}
