package dev.inferwatch.core.business;

import dev.inferwatch.core.internal.LabelGuard;

/** Label-value plumbing shared by the runtime-defined families. */
final class Labels {

  private Labels() {}

  /** Each value through its guard; a count that does not match the label names is rejected. */
  static String[] guarded(LabelGuard[] guards, String[] values) {
    if (values.length != guards.length) {
      throw new IllegalArgumentException(
          "expected " + guards.length + " label values, got " + values.length);
    }
    String[] out = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = guards[i].guard(values[i]);
    }
    return out;
  }
}
