package dev.inferwatch.testkit;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Prometheus text exposition, for exact assertions on sample values.
 *
 * <pre>{@code
 * Scrape s = Scrape.parse(body);
 * assertThat(s.value("http_server_requests_total", "route", "/hello", "status", "200"))
 *     .isEqualTo(3);
 * }</pre>
 */
public final class Scrape {

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Map<Map<String, String>, Double>> samples;
  private final String text;

  private Scrape(String text, Map<String, Map<Map<String, String>, Double>> samples) {
    this.text = text;
    this.samples = samples;
  }

  /** Parses a Prometheus text exposition; an unparseable line throws. */
  public static Scrape parse(String text) {
    Map<String, Map<Map<String, String>, Double>> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("unparseable exposition line: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), unescape(l.group(2)));
        }
      }
      samples
          .computeIfAbsent(m.group(1), k -> new LinkedHashMap<>())
          .put(labels, Double.parseDouble(m.group(4)));
    }
    return new Scrape(text, samples);
  }

  /** Scrapes {@code registry} in the Prometheus text format, without HTTP. */
  public static Scrape of(PrometheusRegistry registry) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      return parse(out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The sum of the samples of {@code name} whose labels include every given pair (0 when none
   * match, so absent series read as zero; use {@link #series} to tell them apart).
   */
  public double value(String name, String... labelPairs) {
    double sum = 0;
    for (Map.Entry<Map<String, String>, Double> e : series(name, labelPairs).entrySet()) {
      sum += e.getValue();
    }
    return sum;
  }

  /** The samples of {@code name} whose labels include every given pair. */
  public Map<Map<String, String>, Double> series(String name, String... labelPairs) {
    Map<Map<String, String>, Double> out = new LinkedHashMap<>();
    for (Map.Entry<Map<String, String>, Double> e :
        samples.getOrDefault(name, Map.of()).entrySet()) {
      boolean match = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(e.getKey().get(labelPairs[i]))) {
          match = false;
          break;
        }
      }
      if (match) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** The distinct values label {@code label} takes across the samples of {@code name}. */
  public Set<String> labelValues(String name, String label) {
    Set<String> values = new TreeSet<>();
    for (Map<String, String> labels : samples.getOrDefault(name, Map.of()).keySet()) {
      if (labels.containsKey(label)) {
        values.add(labels.get(label));
      }
    }
    return values;
  }

  /** Whether any sample of {@code name} is present. */
  public boolean has(String name) {
    return samples.containsKey(name);
  }

  /** The exposition as scraped. */
  public String text() {
    return text;
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
