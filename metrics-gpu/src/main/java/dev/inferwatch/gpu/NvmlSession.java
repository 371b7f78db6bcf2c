package dev.inferwatch.gpu;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An initialised NVML: the devices found at open and the reads of one poll, turned into base units.
 *
 * <p>Not thread-safe: the native out-parameters are allocated once and reused, so one poller thread
 * owns a session. A field that answers {@code NOT_SUPPORTED} (or whose function the driver lacks)
 * is never asked again for that device; other failures go to the error sink and leave the field
 * absent; {@code GPU_IS_LOST} skips the rest of that device for the poll.
 *
 * <pre>{@code
 * try (NvmlSession session = NvmlSession.open(nvml, call -> errors.inc(call))) {
 *   List<GpuReading> readings = session.read();
 * }
 * }</pre>
 */
final class NvmlSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NvmlSession.class);

  private static final int UTILIZATION = 1;
  private static final int MEMORY = 1 << 1;
  private static final int TEMPERATURE = 1 << 2;
  private static final int POWER = 1 << 3;
  private static final int ENERGY = 1 << 4;
  private static final int CLOCK = 1 << 5;

  private final Nvml nvml;
  private final Consumer<String> errors;
  private final String driverVersion;
  private final List<Device> devices;
  private final Set<String> warned = new HashSet<>();
  private final IntByReference intOut = new IntByReference();
  private final LongByReference longOut = new LongByReference();
  private final Nvml.Utilization utilization = new Nvml.Utilization();
  private final Nvml.MemoryV2 memoryV2 = new Nvml.MemoryV2();
  private final Nvml.MemoryV1 memoryV1 = new Nvml.MemoryV1();
  private boolean memoryV2Callable = true;
  private boolean closed;

  private NvmlSession(Nvml nvml, Consumer<String> errors) {
    this.nvml = nvml;
    this.errors = errors;
    this.driverVersion = readDriverVersion();
    this.devices = discover();
  }

  /**
   * Initialises NVML and lists its devices; {@code errors} receives the function name of every
   * failed call (the session logs the first failure of each with NVML's reason).
   *
   * @throws IllegalStateException when {@code nvmlInit_v2} fails, with NVML's reason
   */
  static NvmlSession open(Nvml nvml, Consumer<String> errors) {
    int rc = invoke(nvml::nvmlInit_v2);
    if (rc != Nvml.SUCCESS) {
      errors.accept("nvmlInit_v2");
      throw new IllegalStateException("nvmlInit_v2 failed: " + describe(nvml, rc));
    }
    return new NvmlSession(nvml, errors);
  }

  /** The driver version, or {@code null} when NVML would not say. */
  String driverVersion() {
    return driverVersion;
  }

  /** The devices found at open, by index. */
  int deviceCount() {
    return devices.size();
  }

  /** (index, uuid, name) of each device, for {@code gpu_info}. */
  List<GpuReading> identities() {
    List<GpuReading> out = new ArrayList<>(devices.size());
    for (Device d : devices) {
      out.add(d.reading(null, null, null, null, null, null, null, null, d.error));
    }
    return out;
  }

  /** Reads every device once. */
  List<GpuReading> read() {
    List<GpuReading> out = new ArrayList<>(devices.size());
    for (Device device : devices) {
      out.add(read(device));
    }
    return out;
  }

  private GpuReading read(Device d) {
    if (d.handle == null) {
      return d.reading(null, null, null, null, null, null, null, null, d.error);
    }
    d.lost = false;
    Pointer h = d.handle;
    Double util = null;
    Double memUtil = null;
    if (call(
        d,
        UTILIZATION,
        "nvmlDeviceGetUtilizationRates",
        () -> nvml.nvmlDeviceGetUtilizationRates(h, utilization))) {
      util = Integer.toUnsignedLong(utilization.gpu) / 100.0;
      memUtil = Integer.toUnsignedLong(utilization.memory) / 100.0;
    }
    Long used = null;
    Long total = null;
    if (memoryV2Callable && !d.skips(MEMORY)) {
      memoryV2.version = Nvml.MemoryV2.VERSION;
      int rc = invoke(() -> nvml.nvmlDeviceGetMemoryInfo_v2(h, memoryV2));
      if (rc == Nvml.ERROR_FUNCTION_NOT_FOUND || rc == Nvml.ERROR_ARGUMENT_VERSION_MISMATCH) {
        memoryV2Callable = false;
        log.info("NVML has no nvmlDeviceGetMemoryInfo_v2 ({}); using nvmlDeviceGetMemoryInfo", rc);
      } else if (classify(d, MEMORY, "nvmlDeviceGetMemoryInfo_v2", rc)) {
        used = memoryV2.used;
        total = memoryV2.total;
      }
    }
    if (!memoryV2Callable
        && call(
            d,
            MEMORY,
            "nvmlDeviceGetMemoryInfo",
            () -> nvml.nvmlDeviceGetMemoryInfo(h, memoryV1))) {
      used = memoryV1.used;
      total = memoryV1.total;
    }
    Double celsius = null;
    if (call(
        d,
        TEMPERATURE,
        "nvmlDeviceGetTemperature",
        () -> nvml.nvmlDeviceGetTemperature(h, Nvml.TEMPERATURE_GPU, intOut))) {
      celsius = (double) Integer.toUnsignedLong(intOut.getValue());
    }
    Double watts = null;
    if (call(d, POWER, "nvmlDeviceGetPowerUsage", () -> nvml.nvmlDeviceGetPowerUsage(h, intOut))) {
      watts = Integer.toUnsignedLong(intOut.getValue()) / 1000.0;
    }
    Double joules = null;
    if (call(
        d,
        ENERGY,
        "nvmlDeviceGetTotalEnergyConsumption",
        () -> nvml.nvmlDeviceGetTotalEnergyConsumption(h, longOut))) {
      joules = longOut.getValue() / 1000.0;
    }
    Double hertz = null;
    if (call(
        d,
        CLOCK,
        "nvmlDeviceGetClockInfo",
        () -> nvml.nvmlDeviceGetClockInfo(h, Nvml.CLOCK_SM, intOut))) {
      hertz = Integer.toUnsignedLong(intOut.getValue()) * 1e6;
    }
    String error = d.lost ? describe(nvml, Nvml.ERROR_GPU_IS_LOST) : null;
    return d.reading(util, memUtil, used, total, celsius, watts, joules, hertz, error);
  }

  /** Shuts NVML down; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    int rc = invoke(nvml::nvmlShutdown);
    if (rc != Nvml.SUCCESS) {
      errors.accept("nvmlShutdown");
    }
  }

  private boolean call(Device d, int field, String function, IntSupplier call) {
    if (d.skips(field)) {
      return false;
    }
    return classify(d, field, function, invoke(call));
  }

  private boolean classify(Device d, int field, String function, int rc) {
    switch (rc) {
      case Nvml.SUCCESS:
        return true;
      case Nvml.ERROR_NOT_SUPPORTED:
      case Nvml.ERROR_FUNCTION_NOT_FOUND:
        d.unsupported |= field;
        return false;
      case Nvml.ERROR_GPU_IS_LOST:
        d.lost = true;
        errors.accept(function);
        if (warned.add("lost:" + d.index)) {
          log.warn(
              "GPU {} ({}) is lost: NVML answered GPU_IS_LOST; its readings are absent",
              d.index,
              d.uuid);
        }
        return false;
      default:
        errors.accept(function);
        if (warned.add(function + ":" + rc)) {
          log.warn(
              "NVML {} failed on GPU {}: {}; further failures are only counted in"
                  + " gpu_nvml_errors_total",
              function,
              d.index,
              describe(nvml, rc));
        }
        return false;
    }
  }

  private String readDriverVersion() {
    byte[] buffer = new byte[Nvml.DRIVER_VERSION_BUFFER_SIZE];
    int rc = invoke(() -> nvml.nvmlSystemGetDriverVersion(buffer, buffer.length));
    if (rc != Nvml.SUCCESS) {
      errors.accept("nvmlSystemGetDriverVersion");
      return null;
    }
    return Native.toString(buffer);
  }

  private List<Device> discover() {
    IntByReference count = new IntByReference();
    int rc = invoke(() -> nvml.nvmlDeviceGetCount_v2(count));
    if (rc != Nvml.SUCCESS) {
      errors.accept("nvmlDeviceGetCount_v2");
      return List.of();
    }
    List<Device> found = new ArrayList<>();
    PointerByReference handle = new PointerByReference();
    for (int i = 0; i < count.getValue(); i++) {
      int index = i;
      rc = invoke(() -> nvml.nvmlDeviceGetHandleByIndex_v2(index, handle));
      if (rc != Nvml.SUCCESS) {
        errors.accept("nvmlDeviceGetHandleByIndex_v2");
        found.add(new Device(i, null, null, null, describe(nvml, rc)));
        continue;
      }
      Pointer h = handle.getValue();
      found.add(new Device(i, h, deviceString(h, true), deviceString(h, false), null));
    }
    return List.copyOf(found);
  }

  private String deviceString(Pointer h, boolean uuid) {
    byte[] buffer = new byte[Nvml.DEVICE_STRING_BUFFER_SIZE];
    String function = uuid ? "nvmlDeviceGetUUID" : "nvmlDeviceGetName";
    int rc =
        invoke(
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

  /** Calls into NVML; a function the loaded library lacks reads as {@code FUNCTION_NOT_FOUND}. */
  private static int invoke(IntSupplier call) {
    try {
      return call.getAsInt();
    } catch (UnsatisfiedLinkError e) {
      return Nvml.ERROR_FUNCTION_NOT_FOUND;
    }
  }

  /** NVML's own words for {@code rc}, with the code. */
  static String describe(Nvml nvml, int rc) {
    String text;
    try {
      text = nvml.nvmlErrorString(rc);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      text = null;
    }
    return (text == null ? "error" : text) + " (" + rc + ")";
  }

  /** One device handle and what is known not to work on it. */
  private static final class Device {
    final int index;
    final Pointer handle;
    final String uuid;
    final String name;
    final String error;
    int unsupported;
    boolean lost;

    Device(int index, Pointer handle, String uuid, String name, String error) {
      this.index = index;
      this.handle = handle;
      this.uuid = uuid;
      this.name = name;
      this.error = error;
    }

    boolean skips(int field) {
      return lost || (unsupported & field) != 0;
    }

    GpuReading reading(
        Double util,
        Double memUtil,
        Long used,
        Long total,
        Double celsius,
        Double watts,
        Double joules,
        Double hertz,
        String failure) {
      return new GpuReading(
          index, uuid, name, util, memUtil, used, total, celsius, watts, joules, hertz, failure);
    }
  }
}
