package dev.inferwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The manifests of {@code examples/kubernetes} as plain YAML trees, with lookups by kind and the
 * few paths the tests read.
 *
 * <pre>{@code
 * Manifests k8s = Manifests.load();
 * Map<String, Object> container = k8s.container();
 * }</pre>
 */
final class Manifests {

  /** The repository root: the tests run in examples/jetty-demo. */
  static final Path ROOT = locateRoot();

  static final Path DIR = ROOT.resolve("examples/kubernetes");

  private static final Pattern FIELD_LABEL = Pattern.compile("metadata\\.labels\\['([^']+)'\\]");

  private final List<Map<String, Object>> documents;

  private Manifests(List<Map<String, Object>> documents) {
    this.documents = documents;
  }

  /** Every document of every {@code *.yaml} file in {@code examples/kubernetes}. */
  static Manifests load() {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        docs.addAll(parseAll(Files.readString(file, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Manifests(docs);
  }

  /** Every YAML document in {@code text}; fails the test on a parse error or a non-map document. */
  static List<Map<String, Object>> parseAll(String text) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
      if (doc != null) {
        assertThat(doc).as("a YAML document").isInstanceOf(Map.class);
        out.add(map(doc));
      }
    }
    return out;
  }

  List<Map<String, Object>> all() {
    return documents;
  }

  /** The one document of {@code kind}. */
  Map<String, Object> kind(String kind) {
    List<Map<String, Object>> found =
        documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    assertThat(found).as("documents of kind " + kind).hasSize(1);
    return found.get(0);
  }

  Map<String, Object> podTemplate() {
    return map(at(kind("Deployment"), "spec", "template"));
  }

  Map<String, Object> podSpec() {
    return map(podTemplate().get("spec"));
  }

  /** The Deployment's only container. */
  Map<String, Object> container() {
    List<Object> containers = list(podSpec().get("containers"));
    assertThat(containers).as("containers of the Deployment").hasSize(1);
    return map(containers.get(0));
  }

  /** The container's environment, {@code valueFrom.fieldRef} resolved against the pod template. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object item : list(container().get("env"))) {
      Map<String, Object> var = map(item);
      String name = (String) var.get("name");
      if (var.containsKey("value")) {
        env.put(name, String.valueOf(var.get("value")));
      } else {
        String path = (String) at(var, "valueFrom", "fieldRef", "fieldPath");
        Matcher label = FIELD_LABEL.matcher(path == null ? "" : path);
        if (!label.matches()) {
          fail("env " + name + ": only values and metadata.labels fieldRefs are understood");
        }
        Object value = map(at(podTemplate(), "metadata", "labels")).get(label.group(1));
        assertThat(value).as(name + " refers to pod label " + label.group(1)).isNotNull();
        env.put(name, value.toString());
      }
    }
    return env;
  }

  /** The container port named {@code name}. */
  int containerPort(String name) {
    for (Object port : list(container().get("ports"))) {
      if (name.equals(map(port).get("name"))) {
        return ((Number) map(port).get("containerPort")).intValue();
      }
    }
    return fail("no container port named " + name);
  }

  /** A probe ({@code startupProbe}, ...) of the container. */
  Map<String, Object> probe(String which) {
    Object probe = container().get(which);
    assertThat(probe).as(which).isNotNull();
    return map(probe);
  }

  static int seconds(Map<String, Object> probe, String field, int fallback) {
    Object value = probe.get(field);
    return value == null ? fallback : ((Number) value).intValue();
  }

  /** The value at {@code path} through nested maps, or {@code null}. */
  static Object at(Map<String, Object> node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    assertThat(node).isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    assertThat(node).isInstanceOf(List.class);
    return (List<Object>) node;
  }

  private static Path locateRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/kubernetes"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("examples/kubernetes not found above the working directory");
    }
    return dir;
  }
}
