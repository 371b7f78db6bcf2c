package dev.inferwatch.core.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples themselves: one ring of times shared by every series, a fixed table for the {@link
 * Series}, and keyed series (per provider, per GPU) capped at a number of keys. Everything is
 * allocated when first needed and never grows past its cap, so memory stays fixed however long the
 * process runs. Not thread-safe: {@link History} guards it.
 */
final class Ring {

  private final int capacity;
  private final long[] times;
  private final double[][] fixed;
  private final Keyed providers;
  private final Keyed gpus;
  private int next;
  private int size;

  Ring(int capacity, int maxProviders, int maxGpus) {
    this.capacity = capacity;
    this.times = new long[capacity];
    this.fixed = new double[Series.all().length][capacity];
    this.providers = new Keyed(capacity, maxProviders, 1);
    this.gpus = new Keyed(capacity, maxGpus, 2);
  }

  /** Keyed values per provider: {health score}. */
  Keyed providers() {
    return providers;
  }

  /** Keyed values per GPU: {utilization ratio, memory used bytes}. */
  Keyed gpus() {
    return gpus;
  }

  /** Starts the sample of {@code epochSeconds}: every value of its slot is NaN until set. */
  int begin(long epochSeconds) {
    int slot = next;
    times[slot] = epochSeconds;
    for (double[] series : fixed) {
      series[slot] = Double.NaN;
    }
    providers.clear(slot);
    gpus.clear(slot);
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
    return slot;
  }

  void set(int slot, Series series, double value) {
    fixed[series.ordinal()][slot] = value;
  }

  int size() {
    return size;
  }

  /** The newest sample's time, or {@link Long#MIN_VALUE} before the first. */
  long newest() {
    return size == 0 ? Long.MIN_VALUE : times[(next - 1 + capacity) % capacity];
  }

  /**
   * Every series as {@code [[time, value], ...]}, oldest first, only points after {@code since}.
   */
  Map<String, Object> toMap(double since, String[] providerFields, String[] gpuFields) {
    Map<String, Object> series = new LinkedHashMap<>();
    for (Series s : Series.all()) {
      series.put(s.key, points(fixed[s.ordinal()], since));
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("series", series);
    map.put("providers", providers.toMap(this, since, providerFields));
    map.put("gpus", gpus.toMap(this, since, gpuFields));
    return map;
  }

  List<Object[]> points(double[] values, double since) {
    List<Object[]> points = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int slot = (next - size + i + capacity) % capacity;
      if (times[slot] > since) {
        double v = values[slot];
        points.add(new Object[] {times[slot], Double.isFinite(v) ? v : null});
      }
    }
    return points;
  }

  /** Series per key (a provider, a GPU), at most {@code maxKeys} keys, each with some fields. */
  static final class Keyed {
    private final int capacity;
    private final int fields;
    private final String[] keys;
    private final double[][][] values;
    private int count;

    Keyed(int capacity, int maxKeys, int fields) {
      this.capacity = capacity;
      this.fields = fields;
      this.keys = new String[maxKeys];
      this.values = new double[maxKeys][][];
    }

    /** Sets field {@code field} of {@code key} at {@code slot}; a key past the cap is dropped. */
    void set(int slot, String key, int field, double value) {
      int index = indexOf(key);
      if (index < 0) {
        if (count == keys.length) {
          return;
        }
        index = count++;
        keys[index] = key;
        values[index] = new double[fields][capacity];
        for (double[] series : values[index]) {
          Arrays.fill(series, Double.NaN);
        }
      }
      values[index][field][slot] = value;
    }

    int keys() {
      return count;
    }

    private int indexOf(String key) {
      for (int i = 0; i < count; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    private void clear(int slot) {
      for (int i = 0; i < count; i++) {
        for (double[] series : values[i]) {
          series[slot] = Double.NaN;
        }
      }
    }

    private Map<String, Object> toMap(Ring ring, double since, String[] names) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        Map<String, Object> byField = new LinkedHashMap<>();
        for (int f = 0; f < fields; f++) {
          byField.put(names[f], ring.points(values[i][f], since));
        }
        map.put(keys[i], byField);
      }
      return map;
    }
  }
}
