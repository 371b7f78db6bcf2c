package dev.inferwatch.benchmarks;

import java.util.List;

/**
 * What the kit costs beside its requests ({@code Footprint}) and how its costs grow with work
 * ({@code RouteGrowthBenchmark}, {@code ScrapeGrowthBenchmark}, {@code DemoGrowth}); {@link Charts}
 * draws the curves.
 */
final class GrowthTargets {

  static final String FOOTPRINT = "Footprint.";
  static final String ROUTES = "RouteGrowthBenchmark.filter:routes=";
  static final String SERIES = "ScrapeGrowthBenchmark.scrape:series=";
  static final String MICROMETER = "ScrapeGrowthBenchmark.micrometer:series=";

  static final List<Target> ALL =
      List.of(
          Target.atMost(
              "kit retained heap, idle",
              FOOTPRINT + "kitRetainedHeapIdle",
              1,
              8,
              "MB",
              FOOTPRINT + "heapWithoutKitIdle",
              "app without the kit"),
          Target.atMost(
              "kit retained heap, every guard at its cap (200 routes × 12 statuses, 50 models,"
                  + " 100 providers, 256 events)",
              FOOTPRINT + "kitRetainedHeapAtCaps",
              1,
              8,
              "MB",
              FOOTPRINT + "heapWithoutKitAtCaps",
              "app without the kit, same traffic"),
          Target.atMost(
              "start-up time added (first 200 on /hello)",
              FOOTPRINT + "startupAdded",
              1,
              250,
              "ms",
              FOOTPRINT + "startupWithoutKit",
              "start-up without the kit"),
          Target.ratioAtMost(
              "filter per request, 2,000 live routes",
              ROUTES + "2000",
              1,
              ROUTES + "10",
              "10 live routes",
              1.2),
          Target.reported(
              "filter per request, 200 live routes",
              ROUTES + "200",
              1,
              ROUTES + "10",
              "10 live routes"),
          Target.reported("scrape, 1,000 series", SERIES + "1000", 1, null, null),
          Target.linear(
              "scrape, 10,000 series (ratio per 1,000 series)",
              SERIES + "10000",
              SERIES + "1000",
              "1,000 series",
              10,
              0.25),
          Target.linear(
              "scrape, 100,000 series (ratio per 1,000 series)",
              SERIES + "100000",
              SERIES + "1000",
              "1,000 series",
              100,
              0.25),
          Target.linearReported(
              "Micrometer scrape, 10,000 series (ratio per 1,000 series)",
              MICROMETER + "10000",
              MICROMETER + "1000",
              "1,000 series",
              10),
          Target.linearReported(
              "Micrometer scrape, 100,000 series (ratio per 1,000 series)",
              MICROMETER + "100000",
              MICROMETER + "1000",
              "1,000 series",
              100),
          Target.reported(
              "demo RSS after the last batch of random paths (10^6 in the full run)",
              "DemoGrowth.rssLast",
              1,
              "DemoGrowth.rssFirst",
              "after the first (10^3)"));

  private GrowthTargets() {}
}
