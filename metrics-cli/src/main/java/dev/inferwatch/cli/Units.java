package dev.inferwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the terminal shows numbers: short, unit-bearing, fixed width where it matters. */
final class Units {

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private Units() {}

  static boolean known(JsonNode node) {
    return node != null && node.isNumber();
  }

  static String count(JsonNode node) {
    return known(node) ? count(node.asDouble()) : "–";
  }

  static String count(double v) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    if (Math.abs(v) >= 1e6) {
      return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    }
    if (Math.abs(v) >= 1e4) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    return v == Math.rint(v)
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  static String seconds(JsonNode node) {
    return known(node) ? seconds(node.asDouble()) : "–";
  }

  static String seconds(double v) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    if (v < 0.01) {
      return String.format(Locale.ROOT, "%.1f ms", v * 1e3);
    }
    return v < 1
        ? String.format(Locale.ROOT, "%.0f ms", v * 1e3)
        : String.format(Locale.ROOT, "%.2f s", v);
  }

  static String bytes(double v) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, i == 0 ? "%.0f %s" : "%.1f %s", v, units[i]);
  }

  static String percent(double ratio) {
    return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.1f%%", ratio * 100) : "–";
  }

  static String duration(double seconds) {
    long s = (long) seconds;
    if (s >= 86_400) {
      return String.format(Locale.ROOT, "%dd %02dh", s / 86_400, s % 86_400 / 3600);
    }
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
  }

  /** An ISO instant (nanosecond precision allowed) as local HH:mm:ss, or the text as it is. */
  static String clock(String iso) {
    try {
      return CLOCK.format(Instant.parse(iso));
    } catch (RuntimeException e) {
      return iso;
    }
  }

  static String clock(long epochSeconds) {
    return CLOCK.format(Instant.ofEpochSecond(epochSeconds));
  }

  /** {@code text} cut or padded to exactly {@code width} columns. */
  static String fit(String text, int width) {
    if (width <= 0) {
      return "";
    }
    if (text.length() > width) {
      return width == 1 ? "…" : text.substring(0, width - 1) + "…";
    }
    return text + " ".repeat(width - text.length());
  }

  /** {@code text} right-aligned in {@code width} columns (cut when longer). */
  static String right(String text, int width) {
    return text.length() >= width ? fit(text, width) : " ".repeat(width - text.length()) + text;
  }
}
