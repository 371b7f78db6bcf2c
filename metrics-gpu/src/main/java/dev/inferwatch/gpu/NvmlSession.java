package dev.inferwatch.gpu;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An initialised NVML: the devices (and MIG instances) found at open, the driver and CUDA versions,
 * and the reads of one poll, turned into base units by {@link DeviceReadings}, {@link
 * HealthReadings} and {@link ProcessMemory}.
 *
 * <p>Not thread-safe: one poller thread owns a session (the XID thread only waits on its own event
 * set). A field that answers {@code NOT_SUPPORTED} (or whose function the driver lacks) is never
 * asked again for that device; other failures go to the error sink and leave the field absent;
 * {@code GPU_IS_LOST} skips the rest of that device for the poll. MIG instances are found once, at
 * open: reconfiguring MIG under a running process needs a restart of the module.
 *
 * <pre>{@code
 * try (NvmlSession session = NvmlSession.open(nvml, call -> errors.inc(call))) {
 *   List<GpuReading> readings = session.read(XidCounts.NONE);
 * }
 * }</pre>
 */
final class NvmlSession implements AutoCloseable {

  /** XID totals per device index, filled into the readings; {@link #NONE} when not watched. */
  interface XidCounts {
    XidCounts NONE = index -> null;

    /** {total, last xid} seen on the GPU with {@code index}, or {@code null}. */
    long[] of(int index);
  }

  private final Nvml nvml;
  private final NvmlCalls calls;
  private final Consumer<String> errors;
  private final DeviceReadings basic;
  private final HealthReadings health;
  private final ProcessMemory processes;
  private final String driverVersion;
  private final String cudaVersion;
  private final List<NvmlDevice> devices;
  private boolean closed;

  private NvmlSession(Nvml nvml, Consumer<String> errors) {
    this.nvml = nvml;
    this.errors = errors;
    this.calls = new NvmlCalls(nvml, errors);
    this.basic = new DeviceReadings(calls);
    this.health = new HealthReadings(calls);
    this.processes = new ProcessMemory(calls, ProcessHandle.current().pid());
    this.driverVersion = readDriverVersion();
    this.cudaVersion = readCudaVersion();
    this.devices = discover();
  }

  /**
   * Initialises NVML and lists its devices; {@code errors} receives the function name of every
   * failed call (the session logs the first failure of each with NVML's reason).
   *
   * @throws IllegalStateException when {@code nvmlInit_v2} fails, with NVML's reason
   */
  static NvmlSession open(Nvml nvml, Consumer<String> errors) {
    int rc = NvmlCalls.invoke(nvml::nvmlInit_v2);
    if (rc != Nvml.SUCCESS) {
      errors.accept("nvmlInit_v2");
      throw new IllegalStateException("nvmlInit_v2 failed: " + NvmlCalls.describe(nvml, rc));
    }
    return new NvmlSession(nvml, errors);
  }

  /** The driver version, or {@code null} when NVML would not say. */
  String driverVersion() {
    return driverVersion;
  }

  /** The CUDA version the driver supports ({@code 12.4}), or {@code null}. */
  String cudaVersion() {
    return cudaVersion;
  }

  /** The devices found at open, by index. */
  int deviceCount() {
    return devices.size();
  }

  /** The physical devices found at open, for the XID watcher and {@code gpu_info}. */
  List<NvmlDevice> devices() {
    return devices;
  }

  /** The shared call rules, for the XID watcher. */
  NvmlCalls calls() {
    return calls;
  }

  /** Reads every device once. */
  List<GpuReading> read(XidCounts xids) {
    List<GpuReading> out = new ArrayList<>(devices.size());
    for (NvmlDevice device : devices) {
      out.add(read(device, xids.of(device.index)));
    }
    return out;
  }

  private GpuReading read(NvmlDevice d, long[] xid) {
    GpuReading.Builder b = new GpuReading.Builder(d);
    if (xid != null) {
      b.xidErrors = xid[0];
      b.lastXid = xid[0] > 0 ? xid[1] : null;
    }
    if (d.handle == null) {
      return b.build();
    }
    d.lost = false;
    basic.read(d, b);
    health.read(d, b);
    if (!d.migEnabled()) {
      Long mine = processes.usedBytes(d);
      if (mine != null && b.memory != null) {
        GpuReading.Memory m = b.memory;
        b.memory =
            new GpuReading.Memory(
                m.usedBytes(), m.freeBytes(), m.reservedBytes(), m.totalBytes(), mine);
      }
    }
    if (!d.instances.isEmpty() && !d.lost) {
      List<GpuReading.Instance> instances = new ArrayList<>(d.instances.size());
      for (NvmlDevice mig : d.instances) {
        instances.add(read(mig));
      }
      b.instances = instances;
    }
    b.error = d.lost ? NvmlCalls.describe(nvml, Nvml.ERROR_GPU_IS_LOST) : d.error;
    return b.build();
  }

  private GpuReading.Instance read(NvmlDevice mig) {
    if (mig.handle == null) {
      return new GpuReading.Instance(mig.label, mig.uuid, GpuReading.Memory.ABSENT, mig.error);
    }
    mig.lost = false;
    GpuReading.Memory m = basic.memory(mig);
    Long mine = processes.usedBytes(mig);
    GpuReading.Memory memory =
        new GpuReading.Memory(
            m.usedBytes(), m.freeBytes(), m.reservedBytes(), m.totalBytes(), mine);
    String error = mig.lost ? NvmlCalls.describe(nvml, Nvml.ERROR_GPU_IS_LOST) : null;
    return new GpuReading.Instance(mig.label, mig.uuid, memory, error);
  }

  /** Shuts NVML down; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    int rc = NvmlCalls.invoke(nvml::nvmlShutdown);
    if (rc != Nvml.SUCCESS) {
      errors.accept("nvmlShutdown");
    }
  }

  private String readDriverVersion() {
    byte[] buffer = new byte[Nvml.DRIVER_VERSION_BUFFER_SIZE];
    int rc = NvmlCalls.invoke(() -> nvml.nvmlSystemGetDriverVersion(buffer, buffer.length));
    if (rc != Nvml.SUCCESS) {
      errors.accept("nvmlSystemGetDriverVersion");
      return null;
    }
    return Native.toString(buffer);
  }

  /** {@code _v2} reads libcuda's own version; older drivers only have NVML's table. */
  private String readCudaVersion() {
    IntByReference version = new IntByReference();
    int rc = NvmlCalls.invoke(() -> nvml.nvmlSystemGetCudaDriverVersion_v2(version));
    if (rc == Nvml.ERROR_FUNCTION_NOT_FOUND) {
      rc = NvmlCalls.invoke(() -> nvml.nvmlSystemGetCudaDriverVersion(version));
    }
    if (rc != Nvml.SUCCESS) {
      if (rc != Nvml.ERROR_FUNCTION_NOT_FOUND && rc != Nvml.ERROR_NOT_SUPPORTED) {
        calls.failed("nvmlSystemGetCudaDriverVersion_v2", rc, "the system");
      }
      return null;
    }
    int v = version.getValue();
    return v / 1000 + "." + (v % 1000) / 10;
  }

  private List<NvmlDevice> discover() {
    IntByReference count = new IntByReference();
    int rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetCount_v2(count));
    if (rc != Nvml.SUCCESS) {
      errors.accept("nvmlDeviceGetCount_v2");
      return List.of();
    }
    List<NvmlDevice> found = new ArrayList<>();
    PointerByReference handle = new PointerByReference();
    for (int i = 0; i < count.getValue(); i++) {
      int index = i;
      String label = Integer.toString(i);
      rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetHandleByIndex_v2(index, handle));
      if (rc != Nvml.SUCCESS) {
        errors.accept("nvmlDeviceGetHandleByIndex_v2");
        String why = NvmlCalls.describe(nvml, rc);
        found.add(new NvmlDevice(i, label, null, null, null, why, null, List.of()));
        continue;
      }
      Pointer h = handle.getValue();
      String migMode = migMode(h, label);
      List<NvmlDevice> instances =
          NvmlDevice.MIG_ENABLED.equals(migMode) ? instances(i, h) : List.of();
      found.add(
          new NvmlDevice(
              i,
              label,
              h,
              deviceString(h, true),
              deviceString(h, false),
              null,
              migMode,
              instances));
    }
    return List.copyOf(found);
  }

  private String migMode(Pointer h, String label) {
    IntByReference current = new IntByReference();
    IntByReference pending = new IntByReference();
    int rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetMigMode(h, current, pending));
    if (rc == Nvml.SUCCESS) {
      return current.getValue() == Nvml.DEVICE_MIG_ENABLE
          ? NvmlDevice.MIG_ENABLED
          : NvmlDevice.MIG_DISABLED;
    }
    if (rc != Nvml.ERROR_NOT_SUPPORTED && rc != Nvml.ERROR_FUNCTION_NOT_FOUND) {
      calls.failed("nvmlDeviceGetMigMode", rc, "GPU " + label);
    }
    return NvmlDevice.MIG_UNSUPPORTED;
  }

  /** The populated MIG slots of GPU {@code parent}, labelled {@code parent/gpuInstanceId}. */
  private List<NvmlDevice> instances(int parent, Pointer h) {
    IntByReference max = new IntByReference();
    int rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetMaxMigDeviceCount(h, max));
    if (rc != Nvml.SUCCESS) {
      calls.failed("nvmlDeviceGetMaxMigDeviceCount", rc, "GPU " + parent);
      return List.of();
    }
    List<NvmlDevice> out = new ArrayList<>();
    PointerByReference mig = new PointerByReference();
    IntByReference id = new IntByReference();
    for (int slot = 0; slot < max.getValue(); slot++) {
      int index = slot;
      rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetMigDeviceHandleByIndex(h, index, mig));
      if (rc == Nvml.ERROR_NOT_FOUND) {
        continue;
      }
      if (rc != Nvml.SUCCESS) {
        calls.failed("nvmlDeviceGetMigDeviceHandleByIndex", rc, "GPU " + parent);
        continue;
      }
      Pointer m = mig.getValue();
      rc = NvmlCalls.invoke(() -> nvml.nvmlDeviceGetGpuInstanceId(m, id));
      if (rc != Nvml.SUCCESS) {
        calls.failed("nvmlDeviceGetGpuInstanceId", rc, "GPU " + parent);
        continue;
      }
      String label = parent + "/" + Integer.toUnsignedLong(id.getValue());
      out.add(new NvmlDevice(parent, label, m, deviceString(m, true), null, null, null, List.of()));
    }
    return out;
  }

  private String deviceString(Pointer h, boolean uuid) {
    byte[] buffer = new byte[Nvml.DEVICE_STRING_BUFFER_SIZE];
    String function = uuid ? "nvmlDeviceGetUUID" : "nvmlDeviceGetName";
    int rc =
        NvmlCalls.invoke(
            () ->
                uuid
                    ? nvml.nvmlDeviceGetUUID(h, buffer, buffer.length)
                    : nvml.nvmlDeviceGetName(h, buffer, buffer.length));
    if (rc != Nvml.SUCCESS) {
      errors.accept(function);
      return null;
    }
    return Native.toString(buffer);
  }
}
