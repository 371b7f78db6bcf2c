package dev.inferwatch.demo;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The URLs the demo prints when it is up: a block of text for people, or, with {@code
 * LOG_FORMAT=json}, one JSON log line with every URL as a key-value, so a log shipper reading
 * stdout sees nothing but JSON.
 */
final class DemoBanner {

  private static final Logger log = LoggerFactory.getLogger(DemoBanner.class);

  private DemoBanner() {}

  /** The paths to show, in order, each with what it is. */
  static Map<String, String> entries() {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("/inferwatch", "status page");
    entries.put("/metrics", "Prometheus exposition");
    entries.put("/metrics/providers", "provider and router series");
    entries.put("/metrics.json", "JSON snapshot with recent events and history");
    entries.put("/metrics/docs", "metric catalogue (markdown)");
    entries.put("/hello", "a plain endpoint");
    entries.put("/v1/models/llama-3", "a templated route");
    entries.put("/users/42/orders", "an id-normalised route");
    entries.put("/slow?ms=300", "an async endpoint");
    entries.put("/readyz", "readiness (503 while the model loads)");
    entries.put("/health/detailed", "every health check");
    entries.put("/health/gpu", "NVIDIA GPUs through NVML, or why not");
    entries.put("/info", "service, models, JVM, container, request timing");
    entries.put("POST /predict", "{\"instances\":[\"great demo\"]}");
    entries.put("POST /v1/chat/completions", "OpenAI-compatible chat (SSE)");
    return entries;
  }

  static void print(String base, boolean traffic, boolean json, PrintStream out) {
    String generator =
        traffic
            ? "Built-in traffic generator: on (DEMO_TRAFFIC=false to turn off)"
            : "Built-in traffic generator: off";
    if (json) {
      LoggingEventBuilder line = log.atInfo().addKeyValue("traffic_generator", traffic);
      for (String path : entries().keySet()) {
        line = line.addKeyValue(key(path), url(base, path));
      }
      line.log("Inferwatch demo is up at {}; status page {}/inferwatch", base, base);
      return;
    }
    out.println();
    out.println("Inferwatch demo is up. Open:");
    int width = 0;
    for (String path : entries().keySet()) {
      width = Math.max(width, url(base, path).length());
    }
    String format = "  %-" + width + "s  %s%n";
    entries().forEach((path, what) -> out.printf(format, url(base, path), what));
    out.println(generator);
    out.println("Terminal view: java -jar metrics-cli/target/inferwatch-cli.jar top " + base);
    out.println();
  }

  private static String url(String base, String path) {
    return path.startsWith("POST ") ? "POST " + base + path.substring(5) : base + path;
  }

  /** {@code /metrics/providers} → {@code url_metrics_providers}. */
  private static String key(String path) {
    String bare = path.startsWith("POST ") ? path.substring(5) : path;
    int query = bare.indexOf('?');
    bare = query < 0 ? bare : bare.substring(0, query);
    return "url" + bare.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "");
  }
}
