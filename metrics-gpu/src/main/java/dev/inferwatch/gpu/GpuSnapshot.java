package dev.inferwatch.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the last poll saw, published atomically by {@link GpuPoller}: scrapes and status requests
 * read this and never call NVML.
 *
 * <pre>{@code
 * GpuSnapshot snapshot = poller.snapshot();
 * if (snapshot.up()) {
 *   snapshot.devices().forEach(gpu -> log.info("{} at {} W", gpu.name(), gpu.powerWatts()));
 * }
 * }</pre>
 *
 * @param up whether NVML is initialised
 * @param driverVersion the driver version string, or {@code null}
 * @param cudaVersion the CUDA version the driver supports ({@code 12.4}), or {@code null}
 * @param nvmlError why NVML is not up, or {@code null}
 * @param devices one reading per device, by index
 */
record GpuSnapshot(
    boolean up,
    String driverVersion,
    String cudaVersion,
    String nvmlError,
    List<GpuReading> devices) {

  GpuSnapshot {
    devices = List.copyOf(devices);
  }

  /** NVML is not up, for {@code reason}. */
  static GpuSnapshot unavailable(String reason) {
    return new GpuSnapshot(false, null, null, reason, List.of());
  }

  /**
   * The module status contract: {@code available}, {@code driver_version}, {@code cuda_version},
   * {@code nvml_error} and {@code devices}.
   */
  Map<String, Object> status() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("available", up);
    if (driverVersion != null) {
      map.put("driver_version", driverVersion);
    }
    if (cudaVersion != null) {
      map.put("cuda_version", cudaVersion);
    }
    if (nvmlError != null) {
      map.put("nvml_error", nvmlError);
    }
    List<Map<String, Object>> list = new ArrayList<>(devices.size());
    for (GpuReading device : devices) {
      list.add(device.status());
    }
    map.put("devices", list);
    return map;
  }
}
