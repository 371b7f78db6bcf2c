package dev.inferwatch.demo;

import static dev.inferwatch.demo.Manifests.at;
import static dev.inferwatch.demo.Manifests.list;
import static dev.inferwatch.demo.Manifests.map;
import static dev.inferwatch.demo.Manifests.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests of {@code examples/kubernetes} read as YAML and checked against each other, against
 * the names the demo and the kit read, and against the demo's startup and shutdown timings. Their
 * behaviour against the running demo is {@link KubernetesDemoIT}.
 */
class KubernetesManifestsTest {

  private final Manifests k8s = Manifests.load();

  @Test
  void everyManifestParsesAndTheExpectedKindsAreThere() {
    assertThat(k8s.all())
        .extracting(d -> d.get("kind"))
        .containsExactlyInAnyOrder("Deployment", "Service", "PodMonitor", "ServiceMonitor");
    assertThat(k8s.all()).allSatisfy(d -> assertThat(d).containsKeys("apiVersion", "metadata"));
  }

  @Test
  void everyEnvironmentVariableIsOneTheDemoOrTheKitReads() throws IOException {
    Set<String> read = namesRead();
    assertThat(read).contains("PORT", "INFERWATCH_SERVICE", "DEMO_MODEL_LOAD_MS");
    assertThat(k8s.env().keySet()).isNotEmpty().isSubsetOf(read);
  }

  @Test
  void probesServiceAndMonitorsUseThePortsAndLabelsThePodHas() {
    Map<String, String> podLabels = stringMap(at(k8s.podTemplate(), "metadata", "labels"));
    int http = k8s.containerPort("http");
    assertThat(k8s.env()).containsEntry("PORT", String.valueOf(http));
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(at(k8s.probe(probe), "httpGet", "port")).as(probe).isIn("http", http);
    }
    assertThat(at(k8s.probe("startupProbe"), "httpGet", "path")).isEqualTo("/startupz");
    assertThat(at(k8s.probe("livenessProbe"), "httpGet", "path")).isEqualTo("/livez");
    assertThat(at(k8s.probe("readinessProbe"), "httpGet", "path")).isEqualTo("/readyz");

    Map<String, Object> deployment = k8s.kind("Deployment");
    assertThat(podLabels)
        .containsAllEntriesOf(stringMap(at(deployment, "spec", "selector", "matchLabels")));
    Map<String, Object> service = k8s.kind("Service");
    assertThat(podLabels).containsAllEntriesOf(stringMap(at(service, "spec", "selector")));
    Map<String, Object> servicePort = map(list(at(service, "spec", "ports")).get(0));
    assertThat(servicePort.get("targetPort")).isIn("http", http);

    Map<String, Object> podMonitor = k8s.kind("PodMonitor");
    assertThat(podLabels)
        .containsAllEntriesOf(stringMap(at(podMonitor, "spec", "selector", "matchLabels")));
    Map<String, Object> podEndpoint =
        map(list(at(podMonitor, "spec", "podMetricsEndpoints")).get(0));
    assertThat(podEndpoint).containsEntry("port", "http").containsEntry("path", "/metrics");

    Map<String, Object> serviceMonitor = k8s.kind("ServiceMonitor");
    assertThat(stringMap(at(service, "metadata", "labels")))
        .containsAllEntriesOf(stringMap(at(serviceMonitor, "spec", "selector", "matchLabels")));
    Map<String, Object> endpoint = map(list(at(serviceMonitor, "spec", "endpoints")).get(0));
    assertThat(endpoint)
        .containsEntry("port", servicePort.get("name"))
        .containsEntry("path", "/metrics")
        // The Operator's own `service` target label must not push the kit's aside.
        .containsEntry("honorLabels", true);
  }

  @Test
  void theKubernetesSdJobOfTheLocalTierPicksThePodByItsAnnotations() throws IOException {
    Map<String, String> annotations = stringMap(at(k8s.podTemplate(), "metadata", "annotations"));
    assertThat(annotations)
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", String.valueOf(k8s.containerPort("http")))
        .containsEntry("prometheus.io/path", "/metrics");
    Map<String, Object> local =
        Manifests.parseAll(
                Files.readString(Manifests.ROOT.resolve("examples/prometheus/fleet/local.yml")))
            .get(0);
    Map<String, Object> job = map(list(local.get("scrape_configs")).get(0));
    assertThat(list(job.get("kubernetes_sd_configs"))).contains(Map.of("role", "pod"));
    Set<String> relabelled = new HashSet<>();
    for (Object rule : list(job.get("relabel_configs"))) {
      for (Object label : list(map(rule).get("source_labels"))) {
        relabelled.add(label.toString());
      }
      if ("keep".equals(map(rule).get("action"))) {
        String source = list(map(rule).get("source_labels")).get(0).toString();
        String annotation = source.replace("__meta_kubernetes_pod_annotation_", "");
        assertThat(annotations.get(annotation.replace("prometheus_io_", "prometheus.io/")))
            .as("the pod's value for the keep rule on " + source)
            .matches(map(rule).get("regex").toString());
      }
    }
    // Every annotation the pod carries is one the job reads (Kubernetes turns . and / into _).
    for (String annotation : annotations.keySet()) {
      assertThat(relabelled)
          .contains("__meta_kubernetes_pod_annotation_" + annotation.replaceAll("[./]", "_"));
    }
  }

  @Test
  void startupAndShutdownTimingsMatchTheDemosSemantics() {
    Map<String, String> env = k8s.env();
    double loadSeconds = Integer.parseInt(env.get("DEMO_MODEL_LOAD_MS")) / 1000.0;
    double drainSeconds = Integer.parseInt(env.get("DEMO_DRAIN_MS")) / 1000.0;
    double graceSeconds = Integer.parseInt(env.get("INFERWATCH_CHAT_SHUTDOWN_GRACE_MS")) / 1000.0;

    // The startup probe covers the JVM start (10 s allowed) and the model load.
    Map<String, Object> startup = k8s.probe("startupProbe");
    int startupBudget =
        seconds(startup, "initialDelaySeconds", 0)
            + seconds(startup, "periodSeconds", 10) * seconds(startup, "failureThreshold", 3);
    assertThat((double) startupBudget).isGreaterThanOrEqualTo(10 + loadSeconds);

    // Readiness sees the 503 that SIGTERM turns on while the demo still drains.
    Map<String, Object> readiness = k8s.probe("readinessProbe");
    int readinessNotices =
        seconds(readiness, "periodSeconds", 10) * seconds(readiness, "failureThreshold", 3);
    assertThat((double) readinessNotices).isLessThanOrEqualTo(drainSeconds);

    // preStop, the drain, the chat grace and Jetty's own (as long again) all fit before SIGKILL.
    List<Object> preStop = list(at(k8s.container(), "lifecycle", "preStop", "exec", "command"));
    assertThat(preStop.get(0)).isEqualTo("sleep");
    double preStopSeconds = Double.parseDouble(preStop.get(1).toString());
    Object termination = k8s.podSpec().get("terminationGracePeriodSeconds");
    assertThat(((Number) termination).doubleValue())
        .isGreaterThanOrEqualTo(preStopSeconds + drainSeconds + 2 * graceSeconds);
  }

  @Test
  void renderedDashboardAndRulesAreTheirSourcesUnchanged() throws Exception {
    Map<String, Object> configMap = Manifests.parseAll(render("dashboard")).get(0);
    assertThat(configMap).containsEntry("kind", "ConfigMap");
    assertThat(stringMap(at(configMap, "metadata", "labels")))
        .containsEntry("grafana_dashboard", "1");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree((String) at(configMap, "data", "inferwatch-dashboard.json")))
        .isEqualTo(
            json.readTree(
                Manifests.ROOT.resolve("examples/grafana/inferwatch-dashboard.json").toFile()));

    Map<String, Object> rule = Manifests.parseAll(render("rules")).get(0);
    assertThat(rule).containsEntry("kind", "PrometheusRule");
    Map<String, Object> rules =
        Manifests.parseAll(
                Files.readString(Manifests.ROOT.resolve("examples/prometheus/rules.yml")))
            .get(0);
    assertThat(rule.get("spec")).isEqualTo(rules);
  }

  private static String render(String what) throws Exception {
    Process process =
        new ProcessBuilder("bash", Manifests.DIR.resolve("render.sh").toString(), what)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("render.sh " + what).isZero();
    return out;
  }

  /**
   * Environment variable names the demo and the kit read, from their sources: the demo's {@code
   * env("X")}, {@code number("X")} and {@code System.getenv("X")}, the kit's settings keys {@code
   * get*("KEY")} and {@code ifSet("KEY", ...)} (read as {@code INFERWATCH_KEY}) and logback's
   * {@code ${X:-...}}.
   */
  static Set<String> namesRead() throws IOException {
    Set<String> names = new HashSet<>();
    // The demo's own variables: env(..), number(..), and its unprefixed Settings ENV.get*(..).
    Pattern raw =
        Pattern.compile(
            "(?:\\benv|\\bnumber|getenv|\\bENV\\.get[A-Za-z]*)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
    Pattern setting =
        Pattern.compile(
            "(?:\\bget|\\bgetInt|\\bgetBoolean|\\bifSet|\\bapply|millis\\(settings,)\\s*\\(?\\s*\"([A-Z][A-Z0-9_]*)\"");
    Pattern logback = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");
    List<Path> roots =
        List.of(
            Manifests.ROOT.resolve("examples/jetty-demo/src/main"),
            Manifests.ROOT.resolve("metrics-core/src/main"),
            Manifests.ROOT.resolve("metrics-servlet/src/main"),
            Manifests.ROOT.resolve("metrics-gpu/src/main"));
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String text = Files.readString(file, StandardCharsets.UTF_8);
          collect(raw.matcher(text), "", names);
          collect(setting.matcher(text), "INFERWATCH_", names);
          collect(logback.matcher(text), "", names);
        }
      }
    }
    return names;
  }

  private static void collect(Matcher matcher, String prefix, Set<String> into) {
    while (matcher.find()) {
      into.add(prefix + matcher.group(1));
    }
  }

  private static Map<String, String> stringMap(Object node) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    map(node).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
