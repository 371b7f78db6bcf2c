package dev.inferwatch.benchmarks.growth;

import dev.inferwatch.benchmarks.ScrapeBenchmark;
import dev.inferwatch.benchmarks.fakes.FakeRequest;
import dev.inferwatch.benchmarks.fakes.FakeResponse;
import dev.inferwatch.benchmarks.fakes.FakeServletConfig;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A {@code /metrics} text scrape through {@link MetricsServlet} as the series grow from 1,000 to
 * 100,000 (the shape of {@link ScrapeBenchmark}), and Micrometer's scrape of as many series beside
 * it: a linear cost means the same milliseconds per thousand series at every size.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ScrapeGrowth -p series=1000,10000,100000
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScrapeGrowthBenchmark {

  /** Series in the registry. */
  @Param({"1000", "10000", "100000"})
  public int series;

  private MetricsServlet servlet;
  private final FakeRequest request =
      new FakeRequest("GET", "/metrics").header("Accept", "text/plain");
  private final FakeResponse response = new FakeResponse(200);

  /** A registry with {@link #series} series and the servlet on it. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws ServletException {
    if (params.getBenchmark().endsWith(".scrape")) {
      servlet = new MetricsServlet(ScrapeBenchmark.withSeries(series));
      servlet.init(new FakeServletConfig());
    }
  }

  /** One scrape. */
  @Benchmark
  public long scrape() throws ServletException, IOException {
    response.clear();
    servlet.service(request, response);
    return response.bodyBytes();
  }

  /** The peer: Micrometer's {@code PrometheusMeterRegistry.scrape()} of as many series. */
  @Benchmark
  public int micrometer(MicrometerSeries peer) {
    return peer.registry.scrape().length();
  }

  /** Micrometer's registry with the same series, built only for its own benchmark. */
  @State(Scope.Benchmark)
  public static class MicrometerSeries {

    PrometheusMeterRegistry registry;

    /** {@code series} counters shaped as {@link ScrapeBenchmark#withSeries}'s. */
    @Setup(Level.Trial)
    public void setUp(ScrapeGrowthBenchmark benchmark) {
      registry = ScrapeBenchmark.micrometerWithSeries(benchmark.series);
    }
  }
}
