package dev.inferwatch.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Samples;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JVM collectors, with an allocation counter whose GC listener can be taken off again. */
class JvmCollectorsTest {

  private static final String ALLOCATED = "jvm_memory_pool_allocated_bytes_total";

  private static byte[][] garbage() {
    byte[][] chunks = new byte[64][];
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = new byte[64 * 1024];
    }
    return chunks;
  }

  private static double collectAndRead(Samples samples) throws InterruptedException {
    double before = samples.has(ALLOCATED) ? samples.value(ALLOCATED) : 0;
    for (int i = 0; i < 20; i++) {
      garbage();
      System.gc();
      Thread.sleep(50); // GC notifications arrive on the JVM's notification thread
      double now = samples.has(ALLOCATED) ? samples.value(ALLOCATED) : 0;
      if (now > before) {
        return now;
      }
    }
    return before;
  }

  @Test
  void countsAllocationsUntilClosedThenLeavesTheGarbageCollectorsAlone() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Samples samples = new Samples(registry);
    AutoCloseable hooks = JvmCollectors.registerOnce(registry, Labels.EMPTY);

    assertThat(samples.has("jvm_threads_current")).isTrue();
    double counted = collectAndRead(samples);
    assertThat(counted).as("allocations counted after a GC").isPositive();

    hooks.close();
    Thread.sleep(200); // a notification already on its way may still land
    double closed = samples.value(ALLOCATED);
    garbage();
    System.gc();
    Thread.sleep(500);
    assertThat(samples.value(ALLOCATED)).as("no listener after close").isEqualTo(closed);
  }

  @Test
  void registersOncePerRegistry() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (AutoCloseable first = JvmCollectors.registerOnce(registry, Labels.EMPTY);
        AutoCloseable second = JvmCollectors.registerOnce(registry, Labels.EMPTY)) {
      assertThat(new Samples(registry).has("jvm_threads_current")).isTrue();
    }
  }

  @Test
  void withoutNativeMemoryTrackingTheDiagnosticCommandIsNotAsked() throws Exception {
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .noneMatch(argument -> argument.startsWith("-XX:NativeMemoryTracking"));
    assertThat(JvmCollectors.nativeMemoryTracked()).isFalse();
    PrometheusRegistry registry = new PrometheusRegistry();
    try (AutoCloseable hooks = JvmCollectors.registerOnce(registry, Labels.EMPTY)) {
      assertThat(new Samples(registry).has("jvm_native_memory_reserved_bytes")).isFalse();
    }
  }

  @Test
  void withNativeMemoryTrackingOnItsFamiliesAreThere() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:NativeMemoryTracking=summary",
                "-cp",
                System.getProperty("java.class.path"),
                NativeMemoryChild.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(output).contains("tracked=true").contains("jvm_native_memory_reserved_bytes=true");
  }

  /** Runs in a child JVM started with native memory tracking on. */
  static final class NativeMemoryChild {
    public static void main(String[] args) throws Exception {
      PrometheusRegistry registry = new PrometheusRegistry();
      try (AutoCloseable hooks = JvmCollectors.registerOnce(registry, Labels.EMPTY)) {
        System.out.println("tracked=" + JvmCollectors.nativeMemoryTracked());
        System.out.println(
            "jvm_native_memory_reserved_bytes="
                + new Samples(registry).has("jvm_native_memory_reserved_bytes"));
      }
    }
  }
}
