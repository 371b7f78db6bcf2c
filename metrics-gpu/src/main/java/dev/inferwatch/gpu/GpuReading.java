package dev.inferwatch.gpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One device's readings from one poll, in base units; a field the device does not support, or whose
 * call failed, is {@code null}.
 *
 * <pre>{@code
 * GpuReading gpu = snapshot.devices().get(0);
 * if (gpu.powerWatts() != null) {
 *   double watts = gpu.powerWatts();
 * }
 * }</pre>
 *
 * @param index the NVML device index
 * @param uuid the device UUID ({@code GPU-...}), or {@code null} if unreadable
 * @param name the product name
 * @param utilizationRatio share of time a kernel ran, 0..1
 * @param memoryUtilizationRatio share of time memory was read or written, 0..1
 * @param memoryUsedBytes allocated device memory
 * @param memoryTotalBytes installed device memory
 * @param temperatureCelsius die temperature
 * @param powerWatts current board power draw
 * @param energyJoules energy used since the driver was loaded
 * @param smClockHertz current SM clock
 * @param error why this poll could not read the device (a lost GPU), or {@code null}
 */
record GpuReading(
    int index,
    String uuid,
    String name,
    Double utilizationRatio,
    Double memoryUtilizationRatio,
    Long memoryUsedBytes,
    Long memoryTotalBytes,
    Double temperatureCelsius,
    Double powerWatts,
    Double energyJoules,
    Double smClockHertz,
    String error) {

  /** The {@code /health/gpu} view: the keys of the status contract, absent fields omitted. */
  Map<String, Object> status() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("index", index);
    put(map, "uuid", uuid);
    put(map, "name", name);
    put(map, "utilization_ratio", utilizationRatio);
    put(map, "memory_utilization_ratio", memoryUtilizationRatio);
    put(map, "memory_used_bytes", memoryUsedBytes);
    put(map, "memory_total_bytes", memoryTotalBytes);
    put(map, "temperature_celsius", temperatureCelsius);
    put(map, "power_watts", powerWatts);
    put(map, "energy_joules", energyJoules);
    put(map, "sm_clock_hertz", smClockHertz);
    put(map, "nvml_error", error);
    return map;
  }

  private static void put(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
