package dev.inferwatch.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result rows in the shape of JMH's JSON ({@code benchmark}, {@code threads}, {@code
 * primaryMetric}) for the runs that are mains rather than JMH benchmarks, so that {@code Report}
 * reads both alike.
 */
public final class Rows {

  private Rows() {}

  /** A measured row: {@code owner}'s simple name and {@code name} make the benchmark name. */
  public static Map<String, Object> row(
      Class<?> owner, String name, int threads, double score, String unit) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("benchmark", owner.getName() + "." + name);
    row.put("threads", threads);
    row.put("primaryMetric", Map.of("score", score, "scoreUnit", unit));
    return row;
  }

  /** The same with JMH-style parameters ({@code {"paths": "1000"}}), part of the row's key. */
  public static Map<String, Object> row(
      Class<?> owner,
      String name,
      int threads,
      Map<String, String> params,
      double score,
      String unit) {
    Map<String, Object> row = row(owner, name, threads, score, unit);
    row.put("params", params);
    return row;
  }

  /** A row that could not be measured, with the reason the results table shows instead. */
  public static Map<String, Object> notMeasured(
      Class<?> owner, String name, int threads, String reason) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("benchmark", owner.getName() + "." + name);
    row.put("threads", threads);
    row.put("notMeasured", reason);
    return row;
  }

  /** Writes {@code rows} to {@code out} as a JSON array, creating the folder. */
  public static void write(File out, List<Map<String, Object>> rows) throws IOException {
    File parent = out.getAbsoluteFile().getParentFile();
    if (!parent.isDirectory() && !parent.mkdirs()) {
      throw new IOException("cannot create " + parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, rows);
  }

  /** {@code -name value} pairs; a flag without a value maps to {@code "true"}. */
  public static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("-")) {
        throw new IllegalArgumentException("expected -name value pairs, got " + args[i]);
      }
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("-");
      options.put(args[i].substring(1), flag ? "true" : args[++i]);
    }
    return options;
  }
}
