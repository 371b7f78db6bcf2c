package dev.inferwatch.gpu;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Java fake of {@link Nvml} for the poller's and metrics' logic: two devices with fixed readings,
 * per-(device, function) return codes, call counts, and a one-shot exception.
 */
final class FakeNvml implements Nvml {

  private final Map<String, Integer> results = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> throwOnce = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** Makes {@code function} answer {@code rc} on {@code device}. */
  FakeNvml answer(int device, String function, int rc) {
    results.put(device + ":" + function, rc);
    return this;
  }

  /** Makes the next {@code function} call on any device throw {@code failure}. */
  FakeNvml throwOnce(String function, RuntimeException failure) {
    throwOnce.put(function, failure);
    return this;
  }

  /** Calls of {@code function} on {@code device}. */
  int calls(int device, String function) {
    AtomicInteger count = calls.get(device + ":" + function);
    return count == null ? 0 : count.get();
  }

  /** Calls of any function. */
  int totalCalls() {
    return total.get();
  }

  private int enter(int device, String function) {
    total.incrementAndGet();
    calls.computeIfAbsent(device + ":" + function, k -> new AtomicInteger()).incrementAndGet();
    RuntimeException failure = throwOnce.remove(function);
    if (failure != null) {
      throw failure;
    }
    return results.getOrDefault(device + ":" + function, SUCCESS);
  }

  private static int index(Pointer device) {
    return (int) Pointer.nativeValue(device) - 1;
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
    count.setValue(2);
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
    copy("GPU-fake-" + index(device), uuid);
    return enter(index(device), "nvmlDeviceGetUUID");
  }

  @Override
  public int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization) {
    utilization.gpu = 75;
    utilization.memory = 30;
    return enter(index(device), "nvmlDeviceGetUtilizationRates");
  }

  @Override
  public int nvmlDeviceGetMemoryInfo_v2(Pointer device, MemoryV2 memory) {
    memory.total = 40L << 30;
    memory.used = 10L << 30;
    return enter(index(device), "nvmlDeviceGetMemoryInfo_v2");
  }

  @Override
  public int nvmlDeviceGetMemoryInfo(Pointer device, MemoryV1 memory) {
    memory.total = 40L << 30;
    memory.used = 11L << 30;
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
    megahertz.setValue(clockType == CLOCK_SM ? 1_095 : -1);
    return enter(index(device), "nvmlDeviceGetClockInfo");
  }

  static {
    // Loads JNA's native part up front, as the real binding would, so Pointer works in tests.
    Native.getNativeSize(int.class);
  }
}
