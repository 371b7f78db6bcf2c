package dev.inferwatch.core.providers;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed ring of time slots, each holding a few counts, summed over the last {@code slots} slots.
 *
 * <p>Lock-free and exact: every cell packs the slot it belongs to (20 bits) with its count (44
 * bits), so rolling a slot over and adding to it is one CAS; a count from an older slot is never
 * mixed into a newer one. Memory is {@code slots × fields} longs whatever the traffic.
 */
final class SlidingCounts {

  private static final int COUNT_BITS = 44;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long EPOCH_MASK = (1L << (64 - COUNT_BITS)) - 1;

  private final int slots;
  private final int fields;
  private final long slotNanos;
  private final AtomicLongArray cells;

  SlidingCounts(int slots, long slotNanos, int fields) {
    this.slots = slots;
    this.fields = fields;
    this.slotNanos = slotNanos;
    this.cells = new AtomicLongArray(slots * fields);
  }

  /** Adds {@code delta} (non-negative) to {@code field} of the slot that holds {@code nowNanos}. */
  void add(long nowNanos, int field, long delta) {
    long slot = Math.floorDiv(nowNanos, slotNanos);
    long epoch = slot & EPOCH_MASK;
    int cell = Math.floorMod(slot, slots) * fields + field;
    while (true) {
      long current = cells.get(cell);
      long currentEpoch = current >>> COUNT_BITS;
      long next;
      if (currentEpoch == epoch) {
        next = current + delta;
      } else if (((currentEpoch - epoch) & EPOCH_MASK) < EPOCH_MASK / 2) {
        // A thread delayed by a whole window arrives after the slot was reused: drop its sample.
        return;
      } else {
        next = (epoch << COUNT_BITS) | (delta & COUNT_MASK);
      }
      if (cells.compareAndSet(cell, current, next)) {
        return;
      }
    }
  }

  /** Per-field sums over the window that ends with the slot holding {@code nowNanos}. */
  long[] sums(long nowNanos) {
    long current = Math.floorDiv(nowNanos, slotNanos);
    long[] sums = new long[fields];
    for (int i = 0; i < slots; i++) {
      long slot = current - Math.floorMod(current - i, slots);
      long epoch = slot & EPOCH_MASK;
      for (int f = 0; f < fields; f++) {
        long value = cells.get(i * fields + f);
        if (value >>> COUNT_BITS == epoch) {
          sums[f] += value & COUNT_MASK;
        }
      }
    }
    return sums;
  }
}
