package dev.inferwatch.benchmarks;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One {@code /metrics} scrape of 10,000 series in the Prometheus text format: through our {@link
 * MetricsServlet}, and through client_java's {@link PrometheusMetricsServlet} on the same registry.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar Scrape
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScrapeBenchmark {

  static final int SERIES = 10_000;

  private HttpServlet ours;
  private HttpServlet theirs;
  private final FakeRequest request =
      new FakeRequest("GET", "/metrics").header("Accept", "text/plain");
  private final FakeResponse response = new FakeResponse(200);

  /** A registry with {@value #SERIES} counter series, and both servlets initialised on it. */
  @Setup(Level.Trial)
  public void setUp() throws ServletException {
    Inferwatch iw = Isolated.inferwatch().service("bench").build();
    Counter counter =
        Counter.builder()
            .name("bench_operations_total")
            .help("Synthetic series for the scrape benchmark")
            .labelNames("tenant", "operation")
            .register(iw.registry());
    int tenants = 100;
    for (int i = 0; i < SERIES; i++) {
      counter.labelValues("tenant-" + (i % tenants), "op-" + (i / tenants)).inc(i);
    }
    ours = new MetricsServlet(iw);
    ours.init(new FakeServletConfig());
    theirs = new PrometheusMetricsServlet(iw.registry());
    theirs.init(new FakeServletConfig());
  }

  /** Through {@link MetricsServlet}. */
  @Benchmark
  public long metricsServlet() throws ServletException, IOException {
    response.clear();
    ours.service(request, response);
    return response.bodyBytes();
  }

  /** Through client_java's servlet directly. */
  @Benchmark
  public long prometheusMetricsServlet() throws ServletException, IOException {
    response.clear();
    theirs.service(request, response);
    return response.bodyBytes();
  }
}
