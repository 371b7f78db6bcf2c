package dev.inferwatch.benchmarks.load;

import dev.inferwatch.benchmarks.peers.OtelJavaAgent;
import dev.inferwatch.benchmarks.peers.OtelSdkFilter;
import dev.inferwatch.benchmarks.peers.SpringObservation;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import jakarta.servlet.Filter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;

/**
 * End-to-end throughput and p99 of the same Jetty 12 {@code /hello} app ({@link HelloApp}) bare,
 * behind a no-op filter, behind {@link MetricsFilter}, and behind each peer: Spring's observation
 * filter ({@link SpringObservation}), an OpenTelemetry SDK filter ({@link OtelSdkFilter}) and the
 * OpenTelemetry Java agent ({@link OtelJavaAgent}, in a child JVM since it instruments a whole
 * JVM). An in-JVM closed-loop load generator drives them over loopback in one {@link RotatingRun},
 * so every ratio is between arms of the same rounds. Writes JMH-shaped rows for {@code Report}.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.inferwatch.benchmarks.load.ThroughputRatio \
 *     -rounds 20 -round-ms 2000 -warmup-ms 6000 -connections 4 -out target/e2e.json \
 *     -agent benchmarks/target/agent/opentelemetry-javaagent.jar
 * }</pre>
 */
public final class ThroughputRatio {

  private ThroughputRatio() {}

  /** Runs the rounds and writes the result rows to {@code -out}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Rows.options(args);
    int connections = Integer.parseInt(options.getOrDefault("connections", "4"));
    File out = new File(options.getOrDefault("out", "target/e2e.json"));
    String agent = options.get("agent");
    String agentMissing = options.get("agent-missing");
    if (agent != null && !Files.isRegularFile(Path.of(agent))) {
      agentMissing = "agent jar not found at " + agent;
      agent = null;
    }

    Inferwatch iw = HelloApp.inferwatch();
    SpringObservation spring = new SpringObservation();
    OtelSdkFilter otel = new OtelSdkFilter();
    List<Server> servers = new ArrayList<>();
    ChildJvm agentJvm = null;
    try {
      RotatingRun run = RotatingRun.of(options, 20, 2_000, 6_000);
      List<RotatingRun.Arm> arms = new ArrayList<>();
      arms.add(arm(run, servers, "withoutFilter", null, connections));
      arms.add(
          arm(
              run,
              servers,
              "withNoOpFilter",
              (request, response, chain) -> chain.doFilter(request, response),
              connections));
      arms.add(arm(run, servers, "withFilter", new MetricsFilter(iw), connections));
      arms.add(arm(run, servers, "withSpringObservation", spring.filter(), connections));
      arms.add(arm(run, servers, "withOtelSdk", otel, connections));
      int agentMetricsPort = 0;
      if (agent != null) {
        int port = ChildJvm.freePort();
        agentMetricsPort = ChildJvm.freePort();
        agentJvm =
            ChildJvm.start(
                OtelJavaAgent.jvmArgs(Path.of(agent), agentMetricsPort),
                HelloApp.class.getName(),
                List.of("-port", Integer.toString(port)),
                Map.of(),
                new File(out.getAbsoluteFile().getParentFile(), "otel-agent-app.log"));
        long startNanos = agentJvm.awaitOk(port, "/hello", 120_000);
        System.out.printf("agent app up after %d ms%n", startNanos / 1_000_000);
        arms.add(run.arm("withOtelAgent", LoadGenerator.get(port, "/hello", connections)));
      }
      run.execute();

      List<Map<String, Object>> rows = new ArrayList<>();
      for (RotatingRun.Arm arm : arms) {
        if (arm.total().errors() > 0) {
          throw new IllegalStateException(arm.name() + ": non-200 responses during the run");
        }
        double rps = arm.median(LoadGenerator.Result::requestsPerSecond);
        long p99 = arm.total().percentileMicros(0.99);
        rows.add(Rows.row(ThroughputRatio.class, arm.name(), connections, rps, "req/s"));
        rows.add(Rows.row(ThroughputRatio.class, arm.name() + "P99", connections, p99, "us"));
        System.out.printf("%s: median %.0f req/s, p99 %d us%n", arm.name(), rps, p99);
      }
      if (agent == null) {
        String reason = "not measured: " + (agentMissing == null ? "no -agent" : agentMissing);
        rows.add(Rows.notMeasured(ThroughputRatio.class, "withOtelAgent", connections, reason));
        rows.add(Rows.notMeasured(ThroughputRatio.class, "withOtelAgentP99", connections, reason));
      } else {
        System.out.println("agent route label: " + agentRoute(agentMetricsPort));
      }
      sameRoutes(spring, otel);
      rows.get(0).put("rounds", run.perRound());
      Rows.write(out, rows);
    } finally {
      for (Server server : servers) {
        server.stop();
      }
      if (agentJvm != null) {
        agentJvm.close();
      }
      otel.close();
      iw.close();
    }
  }

  private static RotatingRun.Arm arm(
      RotatingRun run, List<Server> servers, String name, Filter filter, int connections)
      throws Exception {
    Server server =
        HelloApp.start(
            0,
            context -> {
              if (filter != null) {
                HelloApp.filter(context, filter);
              }
            });
    servers.add(server);
    return run.arm(name, LoadGenerator.get(HelloApp.port(server), "/hello", connections));
  }

  /** Fails the run unless both peers labelled {@code /hello} with its route, as the kit does. */
  private static void sameRoutes(SpringObservation spring, OtelSdkFilter otel) {
    String scrape = spring.meterRegistry().scrape();
    if (!scrape.contains("uri=\"/hello\"")) {
      throw new IllegalStateException("Spring's observation did not record uri=/hello:\n" + scrape);
    }
    boolean otelRoute = otel.recordedRoute("/hello");
    if (!otelRoute) {
      throw new IllegalStateException("the OpenTelemetry SDK filter did not record http.route");
    }
  }

  /** The agent's {@code http_route} label on its duration histogram, for the log. */
  private static String agentRoute(int metricsPort) {
    for (String line : ChildJvm.get(metricsPort, "/metrics").split("\n")) {
      if (line.startsWith("http_server_request_duration_seconds_count")) {
        return line;
      }
    }
    return "(no http_server_request_duration_seconds on the agent's endpoint)";
  }
}
