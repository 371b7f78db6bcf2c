package dev.inferwatch.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inferwatch.core.Exposition;
import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

  @Test
  void exposesSharedMemoryOnLinux() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
    PrometheusRegistry registry = new PrometheusRegistry();
    try (Inferwatch iw =
        Inferwatch.builder().registry(registry).namespace("app").discoverModules(false).build()) {
      String text = Exposition.text(registry);

      assertThat(text).contains("app_process_memory_shared_bytes ");
      assertThat(ProcessMemory.read()).containsKeys("rss_bytes", "vms_bytes", "shared_bytes");
      assertThat(ProcessMemory.read().get("rss_bytes")).isPositive();
    }
  }
}
