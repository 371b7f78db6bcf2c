package dev.inferwatch.gpu;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * How much device memory this JVM's own process holds on a GPU or MIG instance: its entries in
 * {@code nvmlDeviceGetComputeRunningProcesses_v3} ({@code _v2} on drivers before R510, same
 * layout), other processes ignored.
 *
 * <p>Not listed means 0 bytes: the driver knows of no context of ours there. The driver lists host
 * PIDs on older drivers, so inside a container with its own PID namespace this reads 0 unless the
 * pod shares the host's PID namespace. Not thread-safe: the process buffer is reused by the poller
 * thread and grows when a GPU runs more processes than it holds.
 *
 * <pre>{@code
 * Long mine = new ProcessMemory(calls, ProcessHandle.current().pid()).usedBytes(device);
 * }</pre>
 */
final class ProcessMemory {

  private static final String V3 = "nvmlDeviceGetComputeRunningProcesses_v3";
  private static final String V2 = "nvmlDeviceGetComputeRunningProcesses_v2";

  /** Processes the buffer holds at first; 32 covers a shared GPU with room to spare. */
  static final int INITIAL_CAPACITY = 32;

  private final NvmlCalls calls;
  private final Nvml nvml;
  private final long pid;
  private final IntByReference count = new IntByReference();
  private Memory buffer = new Memory((long) INITIAL_CAPACITY * Nvml.ProcessInfo.SIZE);
  private int capacity = INITIAL_CAPACITY;
  private boolean v2;

  ProcessMemory(NvmlCalls calls, long pid) {
    this.calls = calls;
    this.nvml = calls.nvml;
    this.pid = pid;
  }

  /** Bytes our process holds on {@code d}, 0 when not listed, {@code null} when unknown. */
  Long usedBytes(NvmlDevice d) {
    if (d.skips(NvmlDevice.PROCESSES)) {
      return null;
    }
    int rc = list(d);
    if (rc == Nvml.ERROR_INSUFFICIENT_SIZE) {
      // More processes than the buffer holds: grow to what the driver said, with slack for new
      // ones starting between the two calls, and ask once more.
      capacity = Math.max(capacity * 2, count.getValue() + 8);
      buffer = new Memory((long) capacity * Nvml.ProcessInfo.SIZE);
      rc = list(d);
    }
    if (!calls.classify(d, NvmlDevice.PROCESSES, v2 ? V2 : V3, rc)) {
      return null;
    }
    long bytes = 0;
    boolean known = true;
    int n = Math.min(count.getValue(), capacity);
    for (int i = 0; i < n; i++) {
      long base = (long) i * Nvml.ProcessInfo.SIZE;
      if (Integer.toUnsignedLong(buffer.getInt(base + Nvml.ProcessInfo.PID)) != pid) {
        continue;
      }
      long used = buffer.getLong(base + Nvml.ProcessInfo.USED_MEMORY);
      if (used == Nvml.VALUE_NOT_AVAILABLE) {
        known = false;
      } else {
        bytes += used;
      }
    }
    return known ? bytes : null;
  }

  private int list(NvmlDevice d) {
    Pointer h = d.handle;
    count.setValue(capacity);
    int rc = Nvml.ERROR_FUNCTION_NOT_FOUND;
    if (!v2) {
      rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetComputeRunningProcesses_v3(h, count, buffer));
      v2 = rc == Nvml.ERROR_FUNCTION_NOT_FOUND;
    }
    if (v2) {
      count.setValue(capacity);
      rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetComputeRunningProcesses_v2(h, count, buffer));
    }
    return rc;
  }
}
