package dev.inferwatch.gpu;

import com.sun.jna.Pointer;
import java.util.List;

/**
 * One NVML device handle, a physical GPU or a MIG instance of one, and what is known not to work on
 * it: each field the device answered {@code NOT_SUPPORTED} for (or whose function the driver lacks)
 * is a bit in {@link #unsupported} and never asked again.
 *
 * <pre>{@code
 * if (!device.skips(NvmlDevice.POWER_LIMIT)) {
 *   ...
 * }
 * }</pre>
 */
final class NvmlDevice {

  static final int UTILIZATION = 1;
  static final int MEMORY = 1 << 1;
  static final int TEMPERATURE = 1 << 2;
  static final int MEMORY_TEMPERATURE = 1 << 3;
  static final int POWER = 1 << 4;
  static final int POWER_LIMIT = 1 << 5;
  static final int ENERGY = 1 << 6;
  static final int SM_CLOCK = 1 << 7;
  static final int MEMORY_CLOCK = 1 << 8;
  static final int CLOCK_REASONS = 1 << 9;
  static final int ECC_CORRECTED = 1 << 10;
  static final int ECC_UNCORRECTED = 1 << 11;
  static final int REMAPPED_ROWS = 1 << 12;
  static final int PCIE_REPLAYS = 1 << 13;
  static final int PCIE_TX = 1 << 14;
  static final int PCIE_RX = 1 << 15;
  static final int PROCESSES = 1 << 16;

  static final String MIG_ENABLED = "enabled";
  static final String MIG_DISABLED = "disabled";
  static final String MIG_UNSUPPORTED = "unsupported";

  /** The NVML index of the physical GPU (the parent's, for a MIG instance). */
  final int index;

  /** The {@code gpu} label value: {@code "0"}, or {@code "0/1"} (parent / GPU instance id). */
  final String label;

  final Pointer handle;
  final String uuid;
  final String name;

  /** Why the handle could not be had, or {@code null}. */
  final String error;

  /** {@code enabled}, {@code disabled} or {@code unsupported}; {@code null} for an instance. */
  final String migMode;

  /** The MIG instances of a physical GPU with MIG on, found at open; empty otherwise. */
  final List<NvmlDevice> instances;

  int unsupported;
  boolean lost;

  NvmlDevice(
      int index,
      String label,
      Pointer handle,
      String uuid,
      String name,
      String error,
      String migMode,
      List<NvmlDevice> instances) {
    this.index = index;
    this.label = label;
    this.handle = handle;
    this.uuid = uuid;
    this.name = name;
    this.error = error;
    this.migMode = migMode;
    this.instances = List.copyOf(instances);
  }

  /** Whether {@code field} is known unsupported, or the GPU was found lost in this poll. */
  boolean skips(int field) {
    return lost || (unsupported & field) != 0;
  }

  /** Whether MIG is on: memory and process memory are then read per instance. */
  boolean migEnabled() {
    return MIG_ENABLED.equals(migMode);
  }
}
