package dev.inferwatch.core.internal;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The process's memory as Linux reports it in {@code /proc/self/status}: resident, virtual and
 * shared (file-backed plus shmem resident pages, what {@code top} shows as SHR). Registers {@code
 * process_memory_shared_bytes} on Linux, once per registry.
 *
 * <pre>{@code
 * Map<String, Long> memory = ProcessMemory.read(); // {rss_bytes=..., vms_bytes=..., shared_bytes=...}
 * }</pre>
 */
public final class ProcessMemory {

  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Set<PrometheusRegistry> REGISTERED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private ProcessMemory() {}

  /** rss_bytes, vms_bytes and shared_bytes; empty where /proc is not there (not Linux). */
  public static Map<String, Long> read() {
    Map<String, Long> memory = new LinkedHashMap<>();
    if (!Files.isReadable(STATUS)) {
      return memory;
    }
    try {
      long rssFile = 0;
      long rssShmem = 0;
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          memory.put("rss_bytes", kilobytes(line));
        } else if (line.startsWith("VmSize:")) {
          memory.put("vms_bytes", kilobytes(line));
        } else if (line.startsWith("RssFile:")) {
          rssFile = kilobytes(line);
        } else if (line.startsWith("RssShmem:")) {
          rssShmem = kilobytes(line);
        }
      }
      memory.put("shared_bytes", rssFile + rssShmem);
    } catch (IOException | RuntimeException e) {
      memory.clear();
    }
    return memory;
  }

  /** Registers {@code process_memory_shared_bytes} as {@code name}, once per registry. */
  public static void registerOnce(PrometheusRegistry registry, String name, Labels constLabels) {
    if (!Files.isReadable(STATUS) || !REGISTERED.add(registry)) {
      return;
    }
    GaugeWithCallback.builder()
        .name(name)
        .help("Resident memory shared with other processes (file-backed and shmem pages)")
        .constLabels(constLabels)
        .callback(
            cb -> {
              Long shared = read().get("shared_bytes");
              if (shared != null) {
                cb.call(shared);
              }
            })
        .register(registry);
  }

  private static long kilobytes(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }
}
