package dev.inferwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A one-line chart of a history series ({@code [[time, value], ...]}) in the eight Unicode block
 * heights, newest on the right; unknown points are blanks, and the scale starts at zero.
 */
final class Sparkline {

  private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

  private Sparkline() {}

  /** The last {@code width} points of {@code points} as bars. */
  static String of(JsonNode points, int width) {
    if (points == null || !points.isArray() || width <= 0) {
      return "";
    }
    int n = points.size();
    int from = Math.max(0, n - width);
    double max = 0;
    for (int i = from; i < n; i++) {
      JsonNode v = points.get(i).get(1);
      if (v != null && v.isNumber()) {
        max = Math.max(max, v.asDouble());
      }
    }
    StringBuilder line = new StringBuilder(width);
    for (int i = from; i < n; i++) {
      JsonNode v = points.get(i).get(1);
      if (v == null || !v.isNumber()) {
        line.append(' ');
      } else if (max <= 0) {
        line.append(BARS[0]);
      } else {
        int level = (int) Math.round(v.asDouble() / max * (BARS.length - 1));
        line.append(BARS[Math.max(0, Math.min(BARS.length - 1, level))]);
      }
    }
    return line.toString();
  }

  /** The newest known value of {@code points}, or NaN. */
  static double last(JsonNode points) {
    if (points == null || !points.isArray()) {
      return Double.NaN;
    }
    for (int i = points.size() - 1; i >= 0; i--) {
      JsonNode v = points.get(i).get(1);
      if (v != null && v.isNumber()) {
        return v.asDouble();
      }
    }
    return Double.NaN;
  }
}
