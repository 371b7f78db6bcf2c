package dev.inferwatch.servlet.probe;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.ProcessMemory;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body of {@code /health/system}: CPU, heap, process memory, disk and uptime. */
final class SystemHealth {

  private SystemHealth() {}

  static Map<String, Object> read(Inferwatch iw) {
    Map<String, Object> body = new LinkedHashMap<>();
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("available_processors", os.getAvailableProcessors());
    cpu.put("system_load_average", os.getSystemLoadAverage());
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      cpu.put("process_cpu_load", sun.getProcessCpuLoad());
      cpu.put("system_cpu_load", sun.getCpuLoad());
    }
    body.put("cpu", cpu);
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    Map<String, Object> heapView = new LinkedHashMap<>();
    heapView.put("used_bytes", heap.getUsed());
    heapView.put("committed_bytes", heap.getCommitted());
    heapView.put("max_bytes", heap.getMax());
    if (heap.getMax() > 0) {
      heapView.put("used_ratio", (double) heap.getUsed() / heap.getMax());
    }
    body.put("heap", heapView);
    body.put("process_memory", ProcessMemory.read());
    File dir = new File(System.getProperty("user.dir", "."));
    Map<String, Object> disk = new LinkedHashMap<>();
    disk.put("path", dir.getAbsolutePath());
    disk.put("free_bytes", dir.getUsableSpace());
    disk.put("total_bytes", dir.getTotalSpace());
    body.put("disk", disk);
    body.put("uptime_seconds", iw.uptime().toMillis() / 1000.0);
    body.put("jvm_uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    return body;
  }
}
