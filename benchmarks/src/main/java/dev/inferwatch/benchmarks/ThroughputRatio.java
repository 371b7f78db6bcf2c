package dev.inferwatch.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.MetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * End-to-end throughput with and without the filter: two embedded Jetty 12 servers serve the demo's
 * trivial {@code /hello} endpoint, one behind {@link MetricsFilter}, and an in-JVM closed-loop load
 * generator drives them over loopback in interleaved rounds (A B, B A, …) so drift hits both.
 * Writes JMH-shaped JSON rows for {@link Report}.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.inferwatch.benchmarks.ThroughputRatio \
 *     -rounds 6 -round-ms 3000 -warmup-ms 6000 -connections 4 -out target/e2e.json
 * }</pre>
 */
public final class ThroughputRatio {

  static final String PREFIX = ThroughputRatio.class.getName() + ".";

  private ThroughputRatio() {}

  /** Runs the rounds and writes the result rows to {@code -out}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "6"));
    long roundMillis = Long.parseLong(options.getOrDefault("round-ms", "3000"));
    long warmupMillis = Long.parseLong(options.getOrDefault("warmup-ms", "6000"));
    int connections = Integer.parseInt(options.getOrDefault("connections", "4"));
    File out = new File(options.getOrDefault("out", "target/e2e.json"));

    Server plain = server(null);
    Inferwatch iw =
        Inferwatch.builder()
            .service("bench")
            .registry(new PrometheusRegistry())
            .discoverModules(false)
            .build();
    Server instrumented = server(iw);
    try {
      LoadGenerator without = new LoadGenerator(port(plain), "/hello", connections);
      LoadGenerator with = new LoadGenerator(port(instrumented), "/hello", connections);
      for (long left = warmupMillis; left > 0; left -= 2 * Math.min(left, 1_000)) {
        without.run(Math.min(left, 1_000));
        with.run(Math.min(left, 1_000));
      }
      LoadGenerator.Result withTotal = new LoadGenerator.Result();
      LoadGenerator.Result withoutTotal = new LoadGenerator.Result();
      List<Map<String, Object>> perRound = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        boolean withFirst = round % 2 == 1;
        LoadGenerator.Result a = (withFirst ? with : without).run(roundMillis);
        LoadGenerator.Result b = (withFirst ? without : with).run(roundMillis);
        LoadGenerator.Result w = withFirst ? a : b;
        LoadGenerator.Result wo = withFirst ? b : a;
        withTotal.add(w);
        withTotal.nanos += w.nanos;
        withoutTotal.add(wo);
        withoutTotal.nanos += wo.nanos;
        perRound.add(
            Map.of(
                "round", round,
                "with_rps", w.requestsPerSecond(),
                "without_rps", wo.requestsPerSecond()));
        System.out.printf(
            "round %d: with filter %.0f req/s, without %.0f req/s, ratio %.3f%n",
            round,
            w.requestsPerSecond(),
            wo.requestsPerSecond(),
            w.requestsPerSecond() / wo.requestsPerSecond());
      }
      if (withTotal.errors + withoutTotal.errors > 0) {
        throw new IllegalStateException("non-200 responses during the run");
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      rows.add(row("withFilter", connections, withTotal.requestsPerSecond(), "req/s", perRound));
      rows.add(row("withoutFilter", connections, withoutTotal.requestsPerSecond(), "req/s", null));
      rows.add(row("withFilterP99", connections, withTotal.percentileMicros(0.99), "us", null));
      rows.add(
          row("withoutFilterP99", connections, withoutTotal.percentileMicros(0.99), "us", null));
      File parent = out.getAbsoluteFile().getParentFile();
      if (!parent.isDirectory() && !parent.mkdirs()) {
        throw new IOException("cannot create " + parent);
      }
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, rows);
      System.out.printf(
          "throughput ratio %.3f, p99 %d us vs %d us%n",
          withTotal.requestsPerSecond() / withoutTotal.requestsPerSecond(),
          withTotal.percentileMicros(0.99),
          withoutTotal.percentileMicros(0.99));
    } finally {
      instrumented.stop();
      plain.stop();
      iw.close();
    }
  }

  private static Map<String, Object> row(
      String name, int threads, double score, String unit, Object rounds) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("benchmark", PREFIX + name);
    row.put("threads", threads);
    row.put("primaryMetric", Map.of("score", score, "scoreUnit", unit));
    if (rounds != null) {
      row.put("rounds", rounds);
    }
    return row;
  }

  /** The demo's {@code /hello}, behind the filter when {@code iw} is given. */
  private static Server server(Inferwatch iw) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new Hello()), "/hello");
    if (iw != null) {
      FilterHolder filter = new FilterHolder(new MetricsFilter(iw));
      filter.setAsyncSupported(true);
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder(new MetricsServlet(iw)), "/metrics");
    }
    server.setHandler(context);
    server.start();
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("-")) {
        throw new IllegalArgumentException("expected -name value pairs, got " + args[i]);
      }
      options.put(args[i].substring(1), args[i + 1]);
    }
    return options;
  }

  /** The demo's trivial endpoint: a small JSON body. */
  private static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setStatus(200);
      response.setContentType("application/json");
      response.getWriter().write("{\"message\":\"hello\"}");
    }
  }
}
