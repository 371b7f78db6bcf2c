package dev.inferwatch.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns JMH JSON result files (and {@link ThroughputRatio}'s) into {@code results.json} and {@code
 * RESULTS.md}, one row per {@link Targets} entry. Exits 2 when a row has no measurement, so a
 * renamed benchmark cannot silently drop out of the table; exits 1 when a target is missed unless
 * {@code -smoke} is given.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.inferwatch.benchmarks.Report \
 *     -in target/jmh -json results.json -md RESULTS.md -note "2 shared cores"
 * }</pre>
 */
public final class Report {

  private final Map<String, Measurement> measurements = new HashMap<>();

  private Report() {}

  /** Reads {@code -in}, writes {@code -json} and {@code -md}. */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = new LinkedHashMap<>();
    boolean smoke = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-smoke")) {
        smoke = true;
      } else if (i + 1 < args.length) {
        options.put(args[i].substring(1), args[++i]);
      }
    }
    Report report = new Report();
    report.read(Path.of(options.getOrDefault("in", "target/jmh")));
    List<Row> rows = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Target target : Targets.ALL) {
      Row row = report.row(target);
      if (row == null) {
        missing.add(target.name() + " (" + target.benchmark() + ", " + target.threads() + "t)");
      } else {
        rows.add(row);
      }
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(row.toJson());
    }
    json.writeValue(new File(options.getOrDefault("json", "results.json")), out);
    Path md = Path.of(options.getOrDefault("md", "RESULTS.md"));
    String charts = Charts.write(report::score, md.toAbsolutePath().getParent());
    String markdown = markdown(rows, options.getOrDefault("note", ""), smoke);
    if (!charts.isEmpty()) {
      markdown += "\n## Growth curves\n\n" + charts;
    }
    Files.writeString(md, markdown, StandardCharsets.UTF_8);
    System.out.print(markdown);
    if (!missing.isEmpty()) {
      System.err.println("no measurement for: " + String.join("; ", missing));
      System.exit(2);
    }
    if (!smoke && rows.stream().anyMatch(r -> Boolean.FALSE.equals(r.pass))) {
      System.exit(1);
    }
  }

  private void read(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json"))::iterator) {
        for (JsonNode result : json.readTree(file.toFile())) {
          String benchmark = shortName(result.path("benchmark").asText()) + params(result);
          int threads = result.path("threads").asInt(1);
          if (result.has("notMeasured")) {
            measurements.put(
                key(benchmark, threads, Target.SCORE),
                new Measurement(Double.NaN, "", result.path("notMeasured").asText()));
            continue;
          }
          JsonNode primary = result.path("primaryMetric");
          put(benchmark, threads, Target.SCORE, primary);
          Iterator<Map.Entry<String, JsonNode>> secondary =
              result.path("secondaryMetrics").fields();
          while (secondary.hasNext()) {
            Map.Entry<String, JsonNode> metric = secondary.next();
            put(benchmark, threads, metric.getKey().replace("·", ""), metric.getValue());
          }
        }
      }
    }
  }

  private void put(String benchmark, int threads, String metric, JsonNode node) {
    measurements.put(
        key(benchmark, threads, metric),
        new Measurement(node.path("score").asDouble(), node.path("scoreUnit").asText(), null));
  }

  /** JMH parameters as part of the name: {@code :routes=2000}, several sorted by name. */
  private static String params(JsonNode result) {
    JsonNode params = result.path("params");
    if (!params.isObject() || params.size() == 0) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    params.fields().forEachRemaining(p -> pairs.add(p.getKey() + "=" + p.getValue().asText()));
    pairs.sort(null);
    return ":" + String.join(",", pairs);
  }

  /** The primary score of {@code benchmark} at {@code threads}, or NaN: for the charts. */
  double score(String benchmark, int threads) {
    Measurement m = measurements.get(key(benchmark, threads, Target.SCORE));
    return m == null ? Double.NaN : m.value;
  }

  /** {@code dev.inferwatch.benchmarks.Foo.bar} becomes {@code Foo.bar}. */
  static String shortName(String benchmark) {
    int method = benchmark.lastIndexOf('.');
    int type = benchmark.lastIndexOf('.', method - 1);
    return benchmark.substring(type + 1);
  }

  private static String key(String benchmark, int threads, String metric) {
    return benchmark + "#" + threads + "#" + metric;
  }

  private Row row(Target target) {
    Measurement value =
        measurements.get(key(target.benchmark(), target.threads(), target.metric()));
    if (value == null) {
      return null;
    }
    if (value.note != null) {
      return new Row(target, value, null, Double.NaN, null);
    }
    Measurement baseline =
        target.baseline() == null
            ? null
            : measurements.get(key(target.baseline(), target.threads(), target.metric()));
    if (target.baseline() != null && baseline == null) {
      return null;
    }
    if (baseline != null && baseline.note != null) {
      return new Row(target, value, baseline, Double.NaN, null);
    }
    double ratio =
        baseline == null || baseline.value == 0 || target.rule() == Target.Rule.NO_ALLOCATION
            ? Double.NaN
            : value.value / (baseline.value * target.scale());
    return new Row(
        target,
        value,
        baseline,
        ratio,
        target.passes(value.value, ratio, baseline == null ? Double.NaN : baseline.value));
  }

  private static String markdown(List<Row> rows, String note, boolean smoke) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    if (smoke) {
      md.append("**Smoke run: one short iteration each; the figures mean nothing.**\n\n");
    }
    md.append("- Date: ")
        .append(
            ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
        .append('\n');
    md.append("- Machine: ")
        .append(cpuModel())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs visible, ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append('\n');
    md.append("- JDK: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append('\n');
    if (!note.isEmpty()) {
      md.append("- Note: ").append(note).append('\n');
    }
    md.append("\nEvery ratio is to a baseline measured in the same run. ")
        .append("Regenerate with `benchmarks/run.sh`; how to read the figures and why a target ")
        .append("is missed: [README](README.md#reading-the-figures).\n\n");
    md.append("| figure | value | baseline | ratio | target | pass |\n");
    md.append("|---|---:|---|---:|---|---|\n");
    for (Row row : rows) {
      md.append("| ")
          .append(row.target.name())
          .append(" | ")
          .append(format(row.value))
          .append(" | ")
          .append(
              row.baseline == null ? "—" : row.target.baselineName() + ": " + format(row.baseline))
          .append(" | ")
          .append(Double.isNaN(row.ratio) ? "—" : String.format(Locale.ROOT, "%.3f", row.ratio))
          .append(" | ")
          .append(row.target.describe() == null ? "—" : row.target.describe())
          .append(" | ")
          .append(row.pass == null ? "—" : row.pass ? "pass" : "**FAIL**")
          .append(" |\n");
    }
    return md.toString();
  }

  private static String format(Measurement m) {
    if (m.note != null) {
      return m.note;
    }
    double v = m.value;
    String number =
        Math.abs(v) >= 1000
            ? String.format(Locale.ROOT, "%,.0f", v)
            : Math.abs(v) >= 10
                ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    return number + " " + m.unit;
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
  }

  private record Measurement(double value, String unit, String note) {}

  private record Row(
      Target target, Measurement value, Measurement baseline, double ratio, Boolean pass) {

    Map<String, Object> toJson() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("name", target.name());
      out.put("value", value.note != null ? null : value.value);
      out.put("unit", value.unit);
      out.put("baseline", baseline == null ? null : baseline.value);
      out.put("ratio", Double.isNaN(ratio) ? null : ratio);
      if (value.note != null) {
        out.put("note", value.note);
      }
      out.put("target", target.describe());
      out.put("pass", pass);
      return out;
    }
  }
}
