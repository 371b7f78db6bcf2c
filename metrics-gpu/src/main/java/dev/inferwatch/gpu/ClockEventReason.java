package dev.inferwatch.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Why the GPU runs below its maximum clocks: the bits of {@code
 * nvmlDeviceGetCurrentClocksEventReasons} ({@code nvmlClocksEventReason*}, formerly throttle
 * reasons), the states of {@code gpu_clock_event_reasons}. The {@code hw_*} reasons mean the
 * hardware protects itself (overheating, power brake, external slowdown): those are the ones to
 * page on.
 *
 * <pre>{@code
 * List<String> words = ClockEventReason.labels(reading.clockEventReasons()); // [sw_power_cap]
 * }</pre>
 */
enum ClockEventReason {
  GPU_IDLE(0x1L, "gpu_idle"),
  APPLICATIONS_CLOCKS(0x2L, "applications_clocks"),
  SW_POWER_CAP(0x4L, "sw_power_cap"),
  HW_SLOWDOWN(0x8L, "hw_slowdown"),
  SYNC_BOOST(0x10L, "sync_boost"),
  SW_THERMAL(0x20L, "sw_thermal"),
  HW_THERMAL(0x40L, "hw_thermal"),
  HW_POWER_BRAKE(0x80L, "hw_power_brake"),
  DISPLAY_CLOCKS(0x100L, "display_clocks");

  private static final ClockEventReason[] ALL = values();

  final long bit;
  final String label;

  ClockEventReason(long bit, String label) {
    this.bit = bit;
    this.label = label;
  }

  /** Whether this reason's bit is set in {@code mask}. */
  boolean in(long mask) {
    return (mask & bit) != 0;
  }

  /** The labels of the reasons set in {@code mask}, in bit order; unknown bits are ignored. */
  static List<String> labels(long mask) {
    List<String> out = new ArrayList<>(2);
    for (ClockEventReason reason : ALL) {
      if (reason.in(mask)) {
        out.add(reason.label);
      }
    }
    return out;
  }
}
