package dev.inferwatch.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One physical GPU's readings from one poll, in base units; a field the device does not support, or
 * whose call failed, is {@code null}.
 *
 * <pre>{@code
 * GpuReading gpu = snapshot.devices().get(0);
 * if (gpu.powerWatts() != null && gpu.powerLimitWatts() != null) {
 *   double headroom = gpu.powerLimitWatts() - gpu.powerWatts();
 * }
 * }</pre>
 *
 * @param index the NVML device index
 * @param uuid the device UUID ({@code GPU-...}), or {@code null} if unreadable
 * @param name the product name
 * @param migMode {@code enabled}, {@code disabled} or {@code unsupported}
 * @param utilizationRatio share of time a kernel ran, 0..1
 * @param memoryCopyUtilizationRatio share of time memory was read or written, 0..1
 * @param memory device memory, and this process's share of it (absent with MIG on: see instances)
 * @param temperatureCelsius die temperature
 * @param memoryTemperatureCelsius HBM temperature
 * @param powerWatts current board power draw
 * @param powerLimitWatts the power limit the driver enforces
 * @param energyJoules energy used since the driver was loaded
 * @param smClockHertz current SM clock
 * @param memoryClockHertz current memory clock
 * @param clockEventReasons the {@link ClockEventReason} bits now set
 * @param eccCorrected corrected (single-bit) ECC errors since the driver was loaded
 * @param eccUncorrected uncorrected (double-bit) ECC errors since the driver was loaded
 * @param remappedRows the row remapper's counts
 * @param pcieReplays PCIe replays since the driver was loaded
 * @param pcieTxBytesPerSecond PCIe transmit throughput over the driver's 20 ms sample
 * @param pcieRxBytesPerSecond PCIe receive throughput over the driver's 20 ms sample
 * @param instances the MIG instances with MIG on, each its own {@code gpu} label
 * @param xidErrors XID events seen since start, when XID events are watched
 * @param lastXid the last XID seen, or {@code null}
 * @param error why this poll could not read the device (a lost GPU), or {@code null}
 */
record GpuReading(
    int index,
    String uuid,
    String name,
    String migMode,
    Double utilizationRatio,
    Double memoryCopyUtilizationRatio,
    Memory memory,
    Double temperatureCelsius,
    Double memoryTemperatureCelsius,
    Double powerWatts,
    Double powerLimitWatts,
    Double energyJoules,
    Double smClockHertz,
    Double memoryClockHertz,
    Long clockEventReasons,
    Long eccCorrected,
    Long eccUncorrected,
    RemappedRows remappedRows,
    Long pcieReplays,
    Double pcieTxBytesPerSecond,
    Double pcieRxBytesPerSecond,
    List<Instance> instances,
    Long xidErrors,
    Long lastXid,
    String error) {

  GpuReading {
    instances = List.copyOf(instances);
    memory = memory == null ? Memory.ABSENT : memory;
  }

  /** The {@code gpu} label value. */
  String label() {
    return Integer.toString(index);
  }

  /**
   * Memory in bytes; each part may be absent.
   *
   * @param usedBytes allocated ({@code nvmlMemory_v2.used}, or v1's used on older drivers)
   * @param freeBytes unallocated
   * @param reservedBytes set aside by the driver and firmware (v2 only)
   * @param totalBytes installed (or the instance's share under MIG)
   * @param processUsedBytes held by this JVM's own process
   */
  record Memory(
      Long usedBytes, Long freeBytes, Long reservedBytes, Long totalBytes, Long processUsedBytes) {
    static final Memory ABSENT = new Memory(null, null, null, null, null);

    void putInto(Map<String, Object> map) {
      put(map, "memory_used_bytes", usedBytes);
      put(map, "memory_free_bytes", freeBytes);
      put(map, "memory_reserved_bytes", reservedBytes);
      put(map, "memory_total_bytes", totalBytes);
      put(map, "process_memory_used_bytes", processUsedBytes);
    }
  }

  /** The row remapper: rows remapped for correctable and uncorrectable errors, and its flags. */
  record RemappedRows(long correctable, long uncorrectable, boolean pending, boolean failed) {
    Map<String, Object> status() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("correctable", correctable);
      map.put("uncorrectable", uncorrectable);
      map.put("pending", pending);
      map.put("failed", failed);
      return map;
    }
  }

  /**
   * A MIG instance: its {@code gpu} label ({@code parent/instance}), UUID ({@code MIG-...}) and
   * memory.
   */
  record Instance(String label, String uuid, Memory memory, String error) {
    Map<String, Object> status() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("gpu", label);
      put(map, "uuid", uuid);
      memory.putInto(map);
      put(map, "nvml_error", error);
      return map;
    }
  }

  /** The {@code /health/gpu} view: the keys of the status contract, absent fields omitted. */
  Map<String, Object> status() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("index", index);
    put(map, "uuid", uuid);
    put(map, "name", name);
    put(map, "mig_mode", migMode);
    put(map, "utilization_ratio", utilizationRatio);
    put(map, "memory_copy_utilization_ratio", memoryCopyUtilizationRatio);
    memory.putInto(map);
    put(map, "temperature_celsius", temperatureCelsius);
    put(map, "memory_temperature_celsius", memoryTemperatureCelsius);
    put(map, "power_watts", powerWatts);
    put(map, "power_limit_watts", powerLimitWatts);
    put(map, "energy_joules", energyJoules);
    put(map, "sm_clock_hertz", smClockHertz);
    put(map, "memory_clock_hertz", memoryClockHertz);
    if (clockEventReasons != null) {
      map.put("clock_event_reasons", ClockEventReason.labels(clockEventReasons));
    }
    if (eccCorrected != null || eccUncorrected != null) {
      Map<String, Object> ecc = new LinkedHashMap<>();
      put(ecc, "corrected", eccCorrected);
      put(ecc, "uncorrected", eccUncorrected);
      map.put("ecc_errors", ecc);
    }
    if (remappedRows != null) {
      map.put("remapped_rows", remappedRows.status());
    }
    put(map, "pcie_replays", pcieReplays);
    put(map, "pcie_tx_bytes_per_second", pcieTxBytesPerSecond);
    put(map, "pcie_rx_bytes_per_second", pcieRxBytesPerSecond);
    put(map, "xid_errors", xidErrors);
    put(map, "last_xid", lastXid);
    if (!instances.isEmpty()) {
      List<Map<String, Object>> list = new ArrayList<>(instances.size());
      for (Instance instance : instances) {
        list.add(instance.status());
      }
      map.put("mig_instances", list);
    }
    put(map, "nvml_error", error);
    return map;
  }

  private static void put(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /** The readers' scratch pad for one device in one poll; {@link #build()} freezes it. */
  static final class Builder {
    final NvmlDevice device;
    Double utilizationRatio;
    Double memoryCopyUtilizationRatio;
    Memory memory;
    Double temperatureCelsius;
    Double memoryTemperatureCelsius;
    Double powerWatts;
    Double powerLimitWatts;
    Double energyJoules;
    Double smClockHertz;
    Double memoryClockHertz;
    Long clockEventReasons;
    Long eccCorrected;
    Long eccUncorrected;
    RemappedRows remappedRows;
    Long pcieReplays;
    Double pcieTxBytesPerSecond;
    Double pcieRxBytesPerSecond;
    List<Instance> instances = List.of();
    Long xidErrors;
    Long lastXid;
    String error;

    Builder(NvmlDevice device) {
      this.device = device;
      this.error = device.error;
    }

    GpuReading build() {
      return new GpuReading(
          device.index,
          device.uuid,
          device.name,
          device.migMode,
          utilizationRatio,
          memoryCopyUtilizationRatio,
          memory,
          temperatureCelsius,
          memoryTemperatureCelsius,
          powerWatts,
          powerLimitWatts,
          energyJoules,
          smClockHertz,
          memoryClockHertz,
          clockEventReasons,
          eccCorrected,
          eccUncorrected,
          remappedRows,
          pcieReplays,
          pcieTxBytesPerSecond,
          pcieRxBytesPerSecond,
          instances,
          xidErrors,
          lastXid,
          error);
    }
  }
}
