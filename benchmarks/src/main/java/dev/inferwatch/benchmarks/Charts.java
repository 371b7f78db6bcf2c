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
 * so any Markdown viewer shows them): one chart per curve, a point per measured size, the x axis
 * logarithmic since the sizes grow tenfold.
 */
final class Charts {

  /** Where a chart point's y value comes from: a score, divided by the work it stands for. */
  private record Point(double x, String benchmark, int threads, double divisor) {}

  /** One curve. */
  private record Chart(
      String file, String title, String xLabel, String yLabel, List<Point> points) {}

  private static final List<Chart> ALL =
      List.of(
          new Chart(
              "growth-filter-routes.svg",
              "MetricsFilter cost per request by live routes",
              "live routes",
              "ns per request",
              List.of(
                  point(10, "RouteGrowthBenchmark.filter:routes=10", 1),
                  point(200, "RouteGrowthBenchmark.filter:routes=200", 1),
                  point(2_000, "RouteGrowthBenchmark.filter:routes=2000", 1))),
          new Chart(
              "growth-scrape-series.svg",
              "Scrape time per 1,000 series (flat means linear)",
              "series",
              "ms per 1,000 series",
              List.of(
                  point(1_000, "ScrapeGrowthBenchmark.scrape:series=1000", 1),
                  point(10_000, "ScrapeGrowthBenchmark.scrape:series=10000", 10),
                  point(100_000, "ScrapeGrowthBenchmark.scrape:series=100000", 100))),
          new Chart(
              "growth-demo-rss.svg",
              "Demo resident memory after distinct random paths (after a full GC)",
              "random paths",
              "RSS, MB",
              List.of(
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
      List<double[]> xy = new ArrayList<>();
      for (Point p : chart.points) {
        double y = scores.score(p.benchmark, p.threads) / p.divisor;
        if (!Double.isNaN(y)) {
          xy.add(new double[] {p.x, y});
        }
      }
      if (xy.size() < 2) {
        continue;
      }
      Files.writeString(dir.resolve(chart.file), svg(chart, xy), StandardCharsets.UTF_8);
      md.append("![").append(chart.title).append("](").append(chart.file).append(")\n\n");
    }
    return md.toString();
  }

  static String svg(Chart chart, List<double[]> xy) {
    double minX = Math.log10(xy.get(0)[0]);
    double maxX = Math.log10(xy.get(xy.size() - 1)[0]);
    double maxY = 0;
    for (double[] p : xy) {
      maxY = Math.max(maxY, p[1]);
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
    StringBuilder polyline = new StringBuilder();
    StringBuilder marks = new StringBuilder();
    for (double[] p : xy) {
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
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1f77b4\"/>%n",
                  x,
                  y))
          .append(text(x, y - 10, "middle", 12, number(p[1])))
          .append(text(x, TOP + plotH + 18, "middle", 12, number(p[0])));
    }
    svg.append(
            String.format(
                Locale.ROOT,
                "<polyline points=\"%s\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>%n",
                polyline.toString().trim()))
        .append(marks)
        .append("</svg>\n");
    return svg.toString();
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
