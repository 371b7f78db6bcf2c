package dev.inferwatch.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The growth curves as plain SVG files beside {@code RESULTS.md} (no fonts or scripts of their own,
 * so any Markdown viewer shows them): one chart per measurement, a line for the kit and one per
 * peer measured in the same run, a point per measured size, the x axis logarithmic since the sizes
 * grow tenfold.
 */
final class Charts {

  /** Where a chart point's y value comes from: a score, divided by the work it stands for. */
  private record Point(double x, String benchmark, int threads, double divisor) {}

  /** One curve of a chart. */
  private record Line(String name, String color, List<Point> points) {}

  /** One chart; a legend names the lines when there are several. */
  private record Chart(String file, String title, String xLabel, String yLabel, List<Line> lines) {}

  /** A line's measured points. */
  record Drawn(String name, String color, List<double[]> xy) {}

  private static final String KIT = "#1f77b4";
  private static final String PEER = "#ff7f0e";

  private static final List<Chart> ALL =
      List.of(
          new Chart(
              "growth-filter-routes.svg",
              "MetricsFilter cost per request by live routes",
              "live routes",
              "ns per request",
              kit(
                  point(10, "RouteGrowthBenchmark.filter:routes=10", 1),
                  point(200, "RouteGrowthBenchmark.filter:routes=200", 1),
                  point(2_000, "RouteGrowthBenchmark.filter:routes=2000", 1))),
          new Chart(
              "growth-scrape-series.svg",
              "Scrape time per 1,000 series (flat means linear)",
              "series",
              "ms per 1,000 series",
              List.of(
                  new Line("Inferwatch /metrics", KIT, scrape("scrape")),
                  new Line(
                      "Micrometer PrometheusMeterRegistry.scrape()", PEER, scrape("micrometer")))),
          new Chart(
              "growth-demo-rss.svg",
              "Demo resident memory after distinct random paths (after a full GC)",
              "random paths",
              "RSS, MB",
              kit(
                  point(1_000, "DemoGrowth.rss:paths=1000", 1),
                  point(10_000, "DemoGrowth.rss:paths=10000", 1),
                  point(100_000, "DemoGrowth.rss:paths=100000", 1),
                  point(1_000_000, "DemoGrowth.rss:paths=1000000", 1))));

  private static final int WIDTH = 640;
  private static final int HEIGHT = 320;
  private static final int LEFT = 70;
  private static final int RIGHT = 30;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  // Keeps the first and last point's labels off the axes.
  private static final int INSET = 40;

  private Charts() {}

  private static Point point(double x, String benchmark, double divisor) {
    return new Point(x, benchmark, 1, divisor);
  }

  private static List<Line> kit(Point... points) {
    return List.of(new Line("Inferwatch", KIT, List.of(points)));
  }

  /** {@code ScrapeGrowthBenchmark.<method>} at 1k, 10k and 100k series, per 1,000 series. */
  private static List<Point> scrape(String method) {
    String key = "ScrapeGrowthBenchmark." + method + ":series=";
    return List.of(
        point(1_000, key + "1000", 1),
        point(10_000, key + "10000", 10),
        point(100_000, key + "100000", 100));
  }

  /** Score lookup: the primary score of a benchmark key at a thread count, or NaN. */
  interface Scores {
    double score(String benchmark, int threads);
  }

  /**
   * Writes every chart that has at least two measured points into {@code dir} and returns the
   * Markdown that shows them (empty when none has).
   */
  static String write(Scores scores, Path dir) throws IOException {
    StringBuilder md = new StringBuilder();
    for (Chart chart : ALL) {
      List<Drawn> lines = new ArrayList<>();
      for (Line line : chart.lines) {
        List<double[]> xy = new ArrayList<>();
        for (Point p : line.points) {
          double y = scores.score(p.benchmark, p.threads) / p.divisor;
          if (!Double.isNaN(y)) {
            xy.add(new double[] {p.x, y});
          }
        }
        if (xy.size() >= 2) {
          lines.add(new Drawn(line.name, line.color, xy));
        }
      }
      if (lines.isEmpty()) {
        continue;
      }
      Files.writeString(dir.resolve(chart.file), svg(chart, lines), StandardCharsets.UTF_8);
      md.append("![").append(chart.title).append("](").append(chart.file).append(")\n\n");
    }
    return md.toString();
  }

  static String svg(Chart chart, List<Drawn> lines) {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = 0;
    for (Drawn line : lines) {
      for (double[] p : line.xy) {
        minX = Math.min(minX, Math.log10(p[0]));
        maxX = Math.max(maxX, Math.log10(p[0]));
        maxY = Math.max(maxY, p[1]);
      }
    }
    maxY = niceCeiling(maxY * 1.15);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT))
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append(text(WIDTH / 2.0, 22, "middle", 14, escape(chart.title)));
    for (int i = 0; i <= 4; i++) {
      double value = maxY * i / 4;
      double y = TOP + plotH - plotH * i / 4.0;
      svg.append(line(LEFT, y, LEFT + plotW, y, "#e0e0e0"))
          .append(text(LEFT - 8, y + 4, "end", 12, number(value)));
    }
    svg.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333"))
        .append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333"))
        .append(text(LEFT + plotW / 2.0, HEIGHT - 10, "middle", 12, escape(chart.xLabel)))
        .append(
            String.format(
                Locale.ROOT,
                "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">"
                    + "%s</text>%n",
                TOP + plotH / 2.0,
                TOP + plotH / 2.0,
                escape(chart.yLabel)));
    List<Double> labelled = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Drawn line = lines.get(i);
      StringBuilder polyline = new StringBuilder();
      StringBuilder marks = new StringBuilder();
      for (double[] p : line.xy) {
        double x =
            maxX == minX
                ? LEFT + plotW / 2.0
                : LEFT + INSET + (plotW - 2 * INSET) * (Math.log10(p[0]) - minX) / (maxX - minX);
        double y = TOP + plotH - plotH * p[1] / maxY;
        polyline.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        marks
            .append(
                String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
                    x,
                    y,
                    line.color))
            // The highest point at a size has its value above it, the others below, so close
            // lines keep their numbers apart.
            .append(text(x, highest(lines, p) ? y - 10 : y + 18, "middle", 12, number(p[1])));
        if (!labelled.contains(p[0])) {
          labelled.add(p[0]);
          marks.append(text(x, TOP + plotH + 18, "middle", 12, number(p[0])));
        }
      }
      svg.append(
              String.format(
                  Locale.ROOT,
                  "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                  polyline.toString().trim(),
                  line.color))
          .append(marks);
      if (lines.size() > 1) {
        double y = TOP + 4 + 16 * i;
        svg.append(line(LEFT + 12, y, LEFT + 32, y, line.color))
            .append(text(LEFT + 38, y + 4, "start", 12, escape(line.name)));
      }
    }
    return svg.append("</svg>\n").toString();
  }

  /** Whether no line has a higher value than {@code point} at its size. */
  private static boolean highest(List<Drawn> lines, double[] point) {
    for (Drawn line : lines) {
      for (double[] other : line.xy) {
        if (other[0] == point[0] && other[1] > point[1]) {
          return false;
        }
      }
    }
    return true;
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
        x1,
        y1,
        x2,
        y2,
        color);
  }

  private static String text(double x, double y, String anchor, int size, String body) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
        x,
        y,
        anchor,
        size,
        body);
  }

  private static String number(double v) {
    if (v >= 1_000_000 && v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%.0fM", v / 1_000_000);
    }
    if (v >= 1_000 && v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return v >= 100
        ? String.format(Locale.ROOT, "%.0f", v)
        : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  /** A round number at or above {@code v} (1, 2 or 5 times a power of ten). */
  private static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= v) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
