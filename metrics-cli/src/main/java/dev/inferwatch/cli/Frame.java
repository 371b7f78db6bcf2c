package dev.inferwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One screen of {@code top}, drawn from a {@code metrics.json} snapshot (and the one before it, for
 * per-route rates): header, sparklines of the last 30 minutes, routes, providers, models, LLM, GPU
 * and the latest events, every line cut to the terminal's width and the whole to its height.
 */
final class Frame {

  static final int ROUTES = 8;

  private final JsonNode now;
  private final JsonNode previous;
  private final double secondsBetween;
  private final String readiness;
  private final int width;
  private final String footer;

  /**
   * @param now the latest snapshot
   * @param previous the one before it, or null (rates are then unknown)
   * @param secondsBetween time between the two
   * @param readiness what {@code /readyz} said, such as {@code READY}
   * @param width the terminal's columns
   * @param footer the last line (keys, URL)
   */
  Frame(
      JsonNode now,
      JsonNode previous,
      double secondsBetween,
      String readiness,
      int width,
      String footer) {
    this.now = now;
    this.previous = previous;
    this.secondsBetween = secondsBetween;
    this.readiness = readiness;
    this.width = Math.max(40, width);
    this.footer = footer;
  }

  /** The frame's lines, at most {@code height}; events take what the other sections leave. */
  List<String> lines(int height) {
    List<String> top = new ArrayList<>();
    top.add(header());
    top.addAll(trends());
    top.add("");
    top.addAll(routes());
    top.addAll(providers());
    top.addAll(models());
    top.addAll(llm());
    top.addAll(gpu());
    List<String> events = events();
    List<String> out = new ArrayList<>();
    int room = Math.max(1, height) - 1; // the footer
    for (String line : top) {
      if (out.size() < room) {
        out.add(line);
      }
    }
    for (String line : events) {
      if (out.size() < room) {
        out.add(line);
      }
    }
    out.add(footer);
    out.replaceAll(line -> Units.fit(line, width).stripTrailing());
    return out;
  }

  private String header() {
    String left =
        String.join(
            " · ",
            "inferwatch top",
            text(now.path("service"), "(no service)"),
            text(now.path("env"), "(no env)"),
            "v" + text(now.path("version"), "?"),
            "up " + Units.duration(now.path("uptime_seconds").asDouble()),
            readiness);
    String clock = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"));
    return left.length() + clock.length() + 1 < width
        ? left + " ".repeat(width - left.length() - clock.length()) + clock
        : left;
  }

  private List<String> trends() {
    JsonNode series = now.path("history").path("series");
    JsonNode http = now.path("http");
    double liveRate =
        rate(
            http.path("requests_total"),
            previous == null ? null : previous.path("http").path("requests_total"));
    List<String> lines = new ArrayList<>();
    lines.add(
        pair(
            cell(
                "req/s",
                Units.count(
                    Double.isFinite(liveRate)
                        ? liveRate
                        : Sparkline.last(series.path("http_requests_per_second"))),
                series.path("http_requests_per_second")),
            cell(
                "5xx",
                Units.percent(Sparkline.last(series.path("http_5xx_ratio"))),
                series.path("http_5xx_ratio"))));
    lines.add(
        pair(
            cell(
                "p95",
                Units.seconds(Sparkline.last(series.path("http_p95_seconds"))),
                series.path("http_p95_seconds")),
            cell(
                "in flight",
                Units.count(http.path("active_requests")),
                series.path("http_in_flight"))));
    lines.add(
        pair(
            cell(
                "tokens/s",
                Units.count(Sparkline.last(series.path("llm_output_tokens_per_second"))),
                series.path("llm_output_tokens_per_second")),
            cell(
                "TTFT p95",
                Units.seconds(Sparkline.last(series.path("llm_ttft_p95_seconds"))),
                series.path("llm_ttft_p95_seconds"))));
    lines.add(
        pair(
            cell(
                "streams",
                Units.count(now.path("llm").path("streams_active")),
                series.path("llm_streams_active")),
            cell(
                "RSS",
                Units.bytes(Sparkline.last(series.path("process_resident_memory_bytes"))),
                series.path("process_resident_memory_bytes"))));
    return lines;
  }

  private String cell(String label, String value, JsonNode points) {
    int cellWidth = width / 2 - 1;
    String head = Units.fit(label, 10) + Units.right(value, 10) + " ";
    return head + Sparkline.of(points, Math.max(0, cellWidth - head.length()));
  }

  private String pair(String left, String right) {
    return Units.fit(left, width / 2) + right;
  }

  private List<String> routes() {
    Map<String, Double> before = new HashMap<>();
    if (previous != null) {
      for (JsonNode r : previous.path("http").path("routes")) {
        before.put(r.path("route").asText(), r.path("requests_total").asDouble());
      }
    }
    List<String> lines = new ArrayList<>();
    int routeWidth = Math.max(16, Math.min(48, width - 36));
    lines.add(
        "ROUTES "
            + " ".repeat(Math.max(0, routeWidth - 7))
            + Units.right("req/s", 9)
            + Units.right("errors", 9)
            + Units.right("p95", 11));
    JsonNode routes = now.path("http").path("routes");
    if (routes.size() == 0) {
      lines.add("  no requests recorded yet");
    }
    for (int i = 0; i < Math.min(ROUTES, routes.size()); i++) {
      JsonNode r = routes.get(i);
      Double earlier = before.get(r.path("route").asText());
      double rate =
          earlier == null || secondsBetween <= 0
              ? Double.NaN
              : Math.max(0, r.path("requests_total").asDouble() - earlier) / secondsBetween;
      lines.add(
          "  "
              + Units.fit(r.path("route").asText(), routeWidth - 2)
              + Units.right(
                  Double.isFinite(rate) ? String.format(Locale.ROOT, "%.1f", rate) : "…", 9)
              + Units.right(Units.count(r.path("errors_total")), 9)
              + Units.right(Units.seconds(r.path("p95_seconds")), 11));
    }
    return lines;
  }

  private List<String> providers() {
    List<String> lines = new ArrayList<>();
    JsonNode providers = now.path("providers");
    if (providers.size() == 0) {
      return lines;
    }
    JsonNode history = now.path("history").path("providers");
    lines.add(
        "PROVIDERS          health  circuit       requests      p95  trend         last error");
    for (JsonNode p : providers) {
      String name = p.path("provider").asText();
      JsonNode error = p.path("last_error");
      String last =
          error.isObject()
              ? error.path("outcome").asText("")
                  + ": "
                  + error.path("message").asText("")
                  + " ("
                  + Units.clock(error.path("time").asText())
                  + ")"
              : "–";
      lines.add(
          "  "
              + Units.fit(name, 15)
              + Units.right(health(p.path("health_score")), 7)
              + "  "
              + Units.fit(text(p.path("circuit_state"), "–"), 10)
              + Units.right(Units.count(p.path("requests_total")), 11)
              + Units.right(Units.seconds(p.path("response_time_seconds").path("p95")), 9)
              + "  "
              + Units.fit(Sparkline.of(history.path(name).path("health_score"), 12), 12)
              + "  "
              + last);
    }
    return lines;
  }

  private List<String> models() {
    List<String> lines = new ArrayList<>();
    JsonNode models = now.path("models");
    if (models.size() == 0) {
      return lines;
    }
    lines.add("MODELS             state       predictions   errors  rejected");
    for (JsonNode m : models) {
      lines.add(
          "  "
              + Units.fit(m.path("model").asText(), 17)
              + Units.fit(text(m.path("state"), "–"), 10)
              + Units.right(Units.count(m.path("predictions_total")), 13)
              + Units.right(Units.count(m.path("errors_total")), 9)
              + Units.right(Units.count(m.path("rejected_total")), 10));
    }
    return lines;
  }

  private List<String> llm() {
    JsonNode llm = now.path("llm");
    JsonNode series = now.path("history").path("series");
    return List.of(
        "LLM  streams "
            + Units.count(llm.path("streams_active"))
            + " · requests "
            + Units.count(llm.path("requests_total"))
            + " · TTFT p95 "
            + Units.seconds(llm.path("ttft_seconds").path("p95"))
            + " · tokens in/out "
            + Units.count(llm.path("tokens").path("input"))
            + "/"
            + Units.count(llm.path("tokens").path("output"))
            + " · tokens/s "
            + Units.count(Sparkline.last(series.path("llm_output_tokens_per_second"))));
  }

  private List<String> gpu() {
    JsonNode gpu = now.path("gpu");
    JsonNode devices = gpu.path("devices");
    List<String> lines = new ArrayList<>();
    if (!gpu.path("available").asBoolean(false) || devices.size() == 0) {
      lines.add(
          "GPU  none: "
              + text(gpu.path("reason"), text(gpu.path("nvml_error"), "NVML not available")));
      return lines;
    }
    JsonNode history = now.path("history").path("gpus");
    lines.add("GPU  " + text(gpu.path("driver_version"), "") + "");
    for (JsonNode d : devices) {
      String index = d.path("index").asText();
      lines.add(
          "  "
              + Units.fit(index + " " + text(d.path("name"), ""), 24)
              + " util "
              + Units.right(Units.percent(d.path("utilization_ratio").asDouble(Double.NaN)), 6)
              + " "
              + Units.fit(Sparkline.of(history.path(index).path("utilization_ratio"), 12), 12)
              + " mem "
              + Units.bytes(d.path("memory_used_bytes").asDouble(Double.NaN))
              + "/"
              + Units.bytes(d.path("memory_total_bytes").asDouble(Double.NaN))
              + " "
              + (d.path("temperature_celsius").isNumber()
                  ? d.path("temperature_celsius").asInt() + "°C"
                  : "")
              + " "
              + (d.path("power_watts").isNumber() ? d.path("power_watts").asInt() + " W" : ""));
    }
    return lines;
  }

  private List<String> events() {
    List<String> lines = new ArrayList<>();
    lines.add("EVENTS");
    JsonNode events = now.path("events");
    if (events.size() == 0) {
      lines.add("  none yet");
    }
    for (JsonNode event : events) {
      lines.add("  " + EventsCommand.line(event));
    }
    return lines;
  }

  private double rate(JsonNode total, JsonNode earlier) {
    if (earlier == null || !Units.known(total) || !Units.known(earlier) || secondsBetween <= 0) {
      return Double.NaN;
    }
    return Math.max(0, total.asDouble() - earlier.asDouble()) / secondsBetween;
  }

  /** A health score: 0..1 (two decimals), or a host's own 0..100 scale as it is. */
  private static String health(JsonNode score) {
    if (!Units.known(score)) {
      return "–";
    }
    double v = score.asDouble();
    return v <= 1 ? String.format(Locale.ROOT, "%.2f", v) : Units.count(v);
  }

  private static String text(JsonNode node, String fallback) {
    return node == null || node.isNull() || node.isMissingNode() || node.asText().isEmpty()
        ? fallback
        : node.asText();
  }
}
