package dev.inferwatch.gpu;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Java fake of {@link Nvml} for the poller's and metrics' logic: two devices (or up to 8) with
 * fixed readings, per-(device, function) return codes, functions missing as from an older driver,
 * MIG instances, listed processes, XID events queued at runtime, call counts, and a one-shot
 * exception.
 */
final class FakeNvml implements Nvml {

  private static final Pointer EVENT_SET = new Pointer(0x5E7);

  /** One listed compute process: pid, bytes and GPU instance id (-1: none). */
  record Process(long pid, long bytes, int gpuInstance) {}

  private final Map<String, Integer> results = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> throwOnce = new ConcurrentHashMap<>();
  private final Set<String> missing = ConcurrentHashMap.newKeySet();
  private final Map<Integer, List<Process>> processes = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> migInstances = new ConcurrentHashMap<>();
  private final Map<Integer, Long> reasons = new ConcurrentHashMap<>();
  private final BlockingQueue<long[]> events = new LinkedBlockingQueue<>();
  private final Map<Thread, AtomicInteger> byThread = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private volatile int devices = 2;

  /**
   * Makes {@code function} answer {@code rc} on {@code device} (-1: the system-wide calls); {@code
   * "field:memory_temperature"} sets the memory temperature field's own return code.
   */
  FakeNvml answer(int device, String function, int rc) {
    results.put(device + ":" + function, rc);
    return this;
  }

  /** Makes {@code function} missing, as JNA reports a symbol an older driver lacks. */
  FakeNvml missing(String function) {
    missing.add(function);
    return this;
  }

  /** Makes the next {@code function} call on any device throw {@code failure}. */
  FakeNvml throwOnce(String function, RuntimeException failure) {
    throwOnce.put(function, failure);
    return this;
  }

  /** Exposes {@code count} devices (at most 8). */
  FakeNvml devices(int count) {
    devices = count;
    return this;
  }

  /** Turns MIG on for {@code device} with {@code count} instances (GPU instance ids 1..count). */
  FakeNvml mig(int device, int count) {
    migInstances.put(device, count);
    return this;
  }

  /** Sets the clock event reason bits of {@code device}. */
  FakeNvml reasons(int device, long mask) {
    reasons.put(device, mask);
    return this;
  }

  /** Lists a process on {@code device}. */
  FakeNvml process(int device, long pid, long bytes, int gpuInstance) {
    processes
        .computeIfAbsent(device, d -> new CopyOnWriteArrayList<>())
        .add(new Process(pid, bytes, gpuInstance));
    return this;
  }

  /** Queues an XID event on {@code device}, for the watcher's next wait. */
  void xid(int device, long xid) {
    events.add(new long[] {device, xid});
  }

  /** Calls of {@code function} on {@code device}. */
  int calls(int device, String function) {
    AtomicInteger count = calls.get(device + ":" + function);
    return count == null ? 0 : count.get();
  }

  /** Calls of any function but the XID thread's event waits (which never stop). */
  int totalCalls() {
    return total.get();
  }

  /** Calls made on {@code thread}, event waits included. */
  int callsFrom(Thread thread) {
    AtomicInteger count = byThread.get(thread);
    return count == null ? 0 : count.get();
  }

  private int enter(int device, String function) {
    byThread.computeIfAbsent(Thread.currentThread(), t -> new AtomicInteger()).incrementAndGet();
    if (!function.startsWith("nvmlEventSetWait")) {
      total.incrementAndGet();
    }
    calls.computeIfAbsent(device + ":" + function, k -> new AtomicInteger()).incrementAndGet();
    if (missing.contains(function)) {
      throw new UnsatisfiedLinkError("Error looking up function '" + function + "'");
    }
    RuntimeException failure = throwOnce.remove(function);
    if (failure != null) {
      throw failure;
    }
    return results.getOrDefault(device + ":" + function, SUCCESS);
  }

  /** The physical index of a handle: GPU i is i + 1, its MIG slot s is 1000 (i + 1) + s + 1. */
  private static int index(Pointer device) {
    long value = Pointer.nativeValue(device);
    return (int) (value >= 1000 ? value / 1000 - 1 : value - 1);
  }

  private static boolean isMig(Pointer device) {
    return Pointer.nativeValue(device) >= 1000;
  }

  private static int gpuInstance(Pointer device) {
    return (int) (Pointer.nativeValue(device) % 1000);
  }

  private static void copy(String value, byte[] buffer) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, buffer, 0, bytes.length);
    buffer[bytes.length] = 0;
  }

  @Override
  public int nvmlInit_v2() {
    return enter(-1, "nvmlInit_v2");
  }

  @Override
  public int nvmlShutdown() {
    return enter(-1, "nvmlShutdown");
  }

  @Override
  public String nvmlErrorString(int result) {
    return result == ERROR_NOT_SUPPORTED ? "Not Supported" : "Fake error";
  }

  @Override
  public int nvmlSystemGetDriverVersion(byte[] version, int length) {
    copy("535.0", version);
    return enter(-1, "nvmlSystemGetDriverVersion");
  }

  @Override
  public int nvmlDeviceGetCount_v2(IntByReference count) {
    count.setValue(devices);
    return enter(-1, "nvmlDeviceGetCount_v2");
  }

  @Override
  public int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device) {
    device.setValue(new Pointer(index + 1));
    return enter(index, "nvmlDeviceGetHandleByIndex_v2");
  }

  @Override
  public int nvmlDeviceGetName(Pointer device, byte[] name, int length) {
    copy("Fake A100 " + index(device), name);
    return enter(index(device), "nvmlDeviceGetName");
  }

  @Override
  public int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length) {
    copy(
        isMig(device)
            ? "MIG-fake-" + index(device) + "-" + gpuInstance(device)
            : "GPU-fake-" + index(device),
        uuid);
    return enter(index(device), "nvmlDeviceGetUUID");
  }

  @Override
  public int nvmlDeviceGetUtilizationRates(Pointer device, Pointer utilization) {
    utilization.setInt(Utilization.GPU, 75);
    utilization.setInt(Utilization.MEMORY, 30);
    return enter(index(device), "nvmlDeviceGetUtilizationRates");
  }

  @Override
  public int nvmlDeviceGetMemoryInfo_v2(Pointer device, Pointer memory) {
    long scale = isMig(device) ? gpuInstance(device) : 4;
    long total = scale * (10L << 30);
    long used = scale * (10L << 28);
    long reserved = isMig(device) ? 0 : 1L << 29;
    memory.setLong(MemoryV2.TOTAL, total);
    memory.setLong(MemoryV2.USED, used);
    memory.setLong(MemoryV2.RESERVED, reserved);
    memory.setLong(MemoryV2.FREE, total - used - reserved);
    return enter(index(device), "nvmlDeviceGetMemoryInfo_v2");
  }

  @Override
  public int nvmlDeviceGetMemoryInfo(Pointer device, Pointer memory) {
    memory.setLong(MemoryV1.TOTAL, 40L << 30);
    memory.setLong(MemoryV1.USED, 11L << 30);
    memory.setLong(MemoryV1.FREE, 29L << 30);
    return enter(index(device), "nvmlDeviceGetMemoryInfo");
  }

  @Override
  public int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference celsius) {
    celsius.setValue(sensorType == TEMPERATURE_GPU ? 64 : -1);
    return enter(index(device), "nvmlDeviceGetTemperature");
  }

  @Override
  public int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts) {
    milliwatts.setValue(250_500);
    return enter(index(device), "nvmlDeviceGetPowerUsage");
  }

  @Override
  public int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference millijoules) {
    millijoules.setValue(123_456_789L);
    return enter(index(device), "nvmlDeviceGetTotalEnergyConsumption");
  }

  @Override
  public int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference megahertz) {
    megahertz.setValue(clockType == CLOCK_SM ? 1_095 : clockType == CLOCK_MEM ? 1_593 : -1);
    return enter(index(device), "nvmlDeviceGetClockInfo");
  }

  @Override
  public int nvmlSystemGetCudaDriverVersion_v2(IntByReference version) {
    version.setValue(12_020);
    return enter(-1, "nvmlSystemGetCudaDriverVersion_v2");
  }

  @Override
  public int nvmlSystemGetCudaDriverVersion(IntByReference version) {
    version.setValue(11_040);
    return enter(-1, "nvmlSystemGetCudaDriverVersion");
  }

  @Override
  public int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference milliwatts) {
    milliwatts.setValue(400_000);
    return enter(index(device), "nvmlDeviceGetEnforcedPowerLimit");
  }

  @Override
  public int nvmlDeviceGetFieldValues(Pointer device, int count, Pointer values) {
    int rc = enter(index(device), "nvmlDeviceGetFieldValues");
    for (int i = 0; i < count; i++) {
      long base = (long) i * FieldValue.SIZE;
      boolean memoryTemp = values.getInt(base + FieldValue.FIELD_ID) == FI_DEV_MEMORY_TEMP;
      values.setInt(
          base + FieldValue.RETURN, memoryTemp ? fieldReturn(device) : ERROR_NOT_SUPPORTED);
      values.setInt(base + FieldValue.VALUE_TYPE, FieldValue.DOUBLE);
      values.setDouble(base + FieldValue.VALUE, 71.5);
    }
    return rc;
  }

  private int fieldReturn(Pointer device) {
    return results.getOrDefault(index(device) + ":field:memory_temperature", SUCCESS);
  }

  @Override
  public int nvmlDeviceGetCurrentClocksEventReasons(Pointer device, LongByReference mask) {
    mask.setValue(reasons.getOrDefault(index(device), 0L));
    return enter(index(device), "nvmlDeviceGetCurrentClocksEventReasons");
  }

  @Override
  public int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference mask) {
    mask.setValue(reasons.getOrDefault(index(device), 0L));
    return enter(index(device), "nvmlDeviceGetCurrentClocksThrottleReasons");
  }

  @Override
  public int nvmlDeviceGetTotalEccErrors(
      Pointer device, int errorType, int counterType, LongByReference count) {
    count.setValue(counterType == VOLATILE_ECC ? (errorType == 0 ? 12 : 2) : -1);
    return enter(index(device), "nvmlDeviceGetTotalEccErrors");
  }

  @Override
  public int nvmlDeviceGetRemappedRows(
      Pointer device,
      IntByReference correctable,
      IntByReference uncorrectable,
      IntByReference pending,
      IntByReference failed) {
    correctable.setValue(3);
    uncorrectable.setValue(1);
    pending.setValue(1);
    failed.setValue(0);
    return enter(index(device), "nvmlDeviceGetRemappedRows");
  }

  @Override
  public int nvmlDeviceGetPcieReplayCounter(Pointer device, IntByReference value) {
    value.setValue(5);
    return enter(index(device), "nvmlDeviceGetPcieReplayCounter");
  }

  @Override
  public int nvmlDeviceGetPcieThroughput(Pointer device, int counter, IntByReference value) {
    value.setValue(counter == PCIE_UTIL_TX_BYTES ? 100 : 200);
    return enter(index(device), "nvmlDeviceGetPcieThroughput");
  }

  @Override
  public int nvmlDeviceGetComputeRunningProcesses_v3(
      Pointer device, IntByReference count, Pointer infos) {
    int rc = enter(index(device), "nvmlDeviceGetComputeRunningProcesses_v3");
    return rc == SUCCESS ? fillProcesses(device, count, infos) : rc;
  }

  @Override
  public int nvmlDeviceGetComputeRunningProcesses_v2(
      Pointer device, IntByReference count, Pointer infos) {
    int rc = enter(index(device), "nvmlDeviceGetComputeRunningProcesses_v2");
    return rc == SUCCESS ? fillProcesses(device, count, infos) : rc;
  }

  private int fillProcesses(Pointer device, IntByReference count, Pointer infos) {
    List<Process> listed =
        processes.getOrDefault(index(device), List.of()).stream()
            .filter(p -> !isMig(device) || p.gpuInstance() == gpuInstance(device))
            .toList();
    if (count.getValue() < listed.size()) {
      count.setValue(listed.size());
      return ERROR_INSUFFICIENT_SIZE;
    }
    for (int i = 0; i < listed.size(); i++) {
      long base = (long) i * ProcessInfo.SIZE;
      infos.setInt(base + ProcessInfo.PID, (int) listed.get(i).pid());
      infos.setLong(base + ProcessInfo.USED_MEMORY, listed.get(i).bytes());
      infos.setInt(base + 16, listed.get(i).gpuInstance());
    }
    count.setValue(listed.size());
    return SUCCESS;
  }

  @Override
  public int nvmlDeviceGetMigMode(Pointer device, IntByReference current, IntByReference pending) {
    int on = migInstances.getOrDefault(index(device), 0) > 0 ? DEVICE_MIG_ENABLE : 0;
    current.setValue(on);
    pending.setValue(on);
    return enter(index(device), "nvmlDeviceGetMigMode");
  }

  @Override
  public int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count) {
    count.setValue(7);
    return enter(index(device), "nvmlDeviceGetMaxMigDeviceCount");
  }

  @Override
  public int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int slot, PointerByReference mig) {
    int rc = enter(index(device), "nvmlDeviceGetMigDeviceHandleByIndex");
    if (slot >= migInstances.getOrDefault(index(device), 0)) {
      return ERROR_NOT_FOUND;
    }
    mig.setValue(new Pointer(1000L * (index(device) + 1) + slot + 1));
    return rc;
  }

  @Override
  public int nvmlDeviceGetGpuInstanceId(Pointer device, IntByReference id) {
    id.setValue(gpuInstance(device));
    return enter(index(device), "nvmlDeviceGetGpuInstanceId");
  }

  @Override
  public int nvmlEventSetCreate(PointerByReference set) {
    set.setValue(EVENT_SET);
    return enter(-1, "nvmlEventSetCreate");
  }

  @Override
  public int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set) {
    return enter(index(device), "nvmlDeviceRegisterEvents");
  }

  @Override
  public int nvmlEventSetWait_v2(Pointer set, Pointer data, int timeoutMillis) {
    int rc = enter(-1, "nvmlEventSetWait_v2");
    return rc == SUCCESS ? waitForEvent(data, timeoutMillis) : rc;
  }

  @Override
  public int nvmlEventSetWait(Pointer set, Pointer data, int timeoutMillis) {
    int rc = enter(-1, "nvmlEventSetWait");
    return rc == SUCCESS ? waitForEvent(data, timeoutMillis) : rc;
  }

  private int waitForEvent(Pointer data, int timeoutMillis) {
    try {
      long[] event = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (event == null) {
        return ERROR_TIMEOUT;
      }
      data.setPointer(EventData.DEVICE, new Pointer(event[0] + 1));
      data.setLong(EventData.TYPE, EVENT_TYPE_XID_CRITICAL_ERROR);
      data.setLong(EventData.DATA, event[1]);
      data.setInt(EventData.GPU_INSTANCE, -1);
      return SUCCESS;
    } catch (InterruptedException e) {
      // Native code would not notice an interrupt: keep the flag and answer as a timeout would.
      Thread.currentThread().interrupt();
      return ERROR_TIMEOUT;
    }
  }

  @Override
  public int nvmlEventSetFree(Pointer set) {
    return enter(-1, "nvmlEventSetFree");
  }

  static {
    // Loads JNA's native part up front, as the real binding would, so Pointer works in tests.
    Native.getNativeSize(int.class);
  }
}
