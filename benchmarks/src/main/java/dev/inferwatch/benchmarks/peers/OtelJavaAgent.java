package dev.inferwatch.benchmarks.peers;

import java.nio.file.Path;
import java.util.List;

/**
 * Peer 3: the OpenTelemetry Java agent ({@code io.opentelemetry.javaagent:opentelemetry-javaagent},
 * fetched by Maven like any artifact; {@code benchmarks/run.sh} copies it to {@code
 * benchmarks/target/agent}). It instruments a whole JVM, so it runs the same Jetty app in a child
 * JVM. Settings as the agent's documentation ("Configure the SDK": exporters) gives them: traces
 * off ({@code otel.traces.exporter=none}), logs off, metrics through the Prometheus exporter
 * ({@code otel.metrics.exporter=prometheus}) on its own port. Its Jetty and servlet instrumentation
 * then records {@code http.server.request.duration} with the route of the servlet mapping.
 *
 * <pre>{@code
 * List<String> jvmArgs = OtelJavaAgent.jvmArgs(agentJar, ChildJvm.freePort());
 * }</pre>
 */
public final class OtelJavaAgent {

  /** The version {@code run.sh} asks Maven for: the newest 2.x served when this was written. */
  public static final String VERSION = "2.33.1";

  private OtelJavaAgent() {}

  /** The JVM options that attach {@code agentJar} with traces off and a Prometheus endpoint. */
  public static List<String> jvmArgs(Path agentJar, int prometheusPort) {
    return List.of(
        "-javaagent:" + agentJar.toAbsolutePath(),
        "-Dotel.service.name=hello",
        "-Dotel.traces.exporter=none",
        "-Dotel.logs.exporter=none",
        "-Dotel.metrics.exporter=prometheus",
        "-Dotel.exporter.prometheus.host=127.0.0.1",
        "-Dotel.exporter.prometheus.port=" + prometheusPort);
  }
}
