package dev.inferwatch.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

  @TempDir Path dir;

  @Test
  void drawsEveryCurveWithTwoOrMorePointsAsSelfContainedSvg() throws IOException {
    String markdown =
        Charts.write(
            (benchmark, threads) ->
                benchmark.startsWith("RouteGrowthBenchmark.filter:routes=")
                    ? Double.parseDouble(benchmark.substring(benchmark.indexOf('=') + 1)) / 10
                    : Double.NaN,
            dir);

    assertThat(markdown).contains("(growth-filter-routes.svg)").doesNotContain("scrape");
    String svg = Files.readString(dir.resolve("growth-filter-routes.svg"));
    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    assertThat(svg.split("<circle", -1)).hasSize(4);
    assertThat(svg).contains(">200<").doesNotContain("href").doesNotContain("<script");
    assertThat(dir.resolve("growth-scrape-series.svg")).doesNotExist();
  }

  @Test
  void aPeerMeasuredInTheSameRunIsASecondLineWithALegend() throws IOException {
    Charts.write(
        (benchmark, threads) -> {
          if (!benchmark.startsWith("ScrapeGrowthBenchmark.")) {
            return Double.NaN;
          }
          double series = Double.parseDouble(benchmark.substring(benchmark.indexOf('=') + 1));
          return benchmark.contains(".micrometer:") ? series / 500 : series / 1000;
        },
        dir);

    String svg = Files.readString(dir.resolve("growth-scrape-series.svg"));
    assertThat(svg.split("<polyline", -1)).hasSize(3);
    assertThat(svg.split("<circle", -1)).hasSize(7);
    assertThat(svg).contains("Inferwatch /metrics").contains("Micrometer");
    assertThat(svg.split(">100,000<", -1)).as("each size labelled once").hasSize(2);
  }
}
