package dev.inferwatch.benchmarks;

import dev.inferwatch.benchmarks.fakes.FakeRequest;
import dev.inferwatch.benchmarks.fakes.FakeResponse;
import dev.inferwatch.benchmarks.fakes.FakeServletConfig;
import dev.inferwatch.benchmarks.peers.SpringObservation;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
 * MetricsServlet}, through client_java's {@link PrometheusMetricsServlet} on the same registry, and
 * through Micrometer's {@link PrometheusMeterRegistry#scrape()} (what Spring Boot's {@code
 * /actuator/prometheus} serves) holding the same 10,000 series as Micrometer counters.
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
  static final int TENANTS = 100;

  private HttpServlet ours;
  private HttpServlet theirs;
  private PrometheusMeterRegistry micrometer;
  private final FakeRequest request =
      new FakeRequest("GET", "/metrics").header("Accept", "text/plain");
  private final FakeResponse response = new FakeResponse(200);

  /** A registry with {@value #SERIES} counter series, both servlets on it, Micrometer's twin. */
  @Setup(Level.Trial)
  public void setUp() throws ServletException {
    Inferwatch iw = withSeries(SERIES);
    ours = new MetricsServlet(iw);
    ours.init(new FakeServletConfig());
    theirs = new PrometheusMetricsServlet(iw.registry());
    theirs.init(new FakeServletConfig());
    micrometer = micrometerWithSeries(SERIES);
  }

  /**
   * Micrometer's registry (as a Boot app has it) holding the same {@code series} series as {@link
   * #withSeries}: the same family as Micrometer names it, {@code bench.operations} becoming {@code
   * bench_operations_total}.
   */
  public static PrometheusMeterRegistry micrometerWithSeries(int series) {
    PrometheusMeterRegistry registry = new SpringObservation().meterRegistry();
    for (int i = 0; i < series; i++) {
      io.micrometer.core.instrument.Counter.builder("bench.operations")
          .description("Synthetic series for the scrape benchmark")
          .tags("tenant", "tenant-" + (i % TENANTS), "operation", "op-" + (i / TENANTS))
          .register(registry)
          .increment(i);
    }
    return registry;
  }

  /**
   * An isolated instance holding {@code series} series of one counter family, {@value #TENANTS}
   * tenants × {@code series / TENANTS} operations, each with its own value.
   */
  public static Inferwatch withSeries(int series) {
    Inferwatch iw = Isolated.inferwatch().service("bench").build();
    Counter counter =
        Counter.builder()
            .name("bench_operations_total")
            .help("Synthetic series for the scrape benchmark")
            .labelNames("tenant", "operation")
            .register(iw.registry());
    for (int i = 0; i < series; i++) {
      counter.labelValues("tenant-" + (i % TENANTS), "op-" + (i / TENANTS)).inc(i);
    }
    return iw;
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

  /** Micrometer's {@code PrometheusMeterRegistry.scrape()} of the same 10,000 series. */
  @Benchmark
  public int micrometerScrape() {
    return micrometer.scrape().length();
  }
}
