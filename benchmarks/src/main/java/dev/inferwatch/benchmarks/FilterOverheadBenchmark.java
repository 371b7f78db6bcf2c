package dev.inferwatch.benchmarks;

import dev.inferwatch.benchmarks.fakes.FakeRequest;
import dev.inferwatch.benchmarks.fakes.FakeResponse;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.internal.Arrivals;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The filter's cost per request: {@code MetricsFilter.doFilter} over a no-op chain with a templated
 * GET answered 200, against the raw operations it implies on bound client_java data points (a
 * {@code nanoTime} pair, in-flight count up and down on a {@code LongAdder} as the kit keeps it,
 * counter increment, histogram observation) and against a filter that only calls the chain. Run
 * with {@code -prof gc} for bytes per request.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar FilterOverhead -t 2 -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterOverheadBenchmark {

  static final String PATH = "/v1/models/gpt-4o";
  static final String TEMPLATE = "/v1/models/{id}";

  private static final FilterChain NO_OP_CHAIN = (request, response) -> {};

  private MetricsFilter metricsFilter;
  private MetricsFilter withoutRequestIds;
  private Filter noOpFilter;
  private final LongAdder active = new LongAdder();
  private CounterDataPoint requests;
  private DistributionDataPoint duration;

  /** Per-thread request and response, as a container gives each worker its own. */
  @State(Scope.Thread)
  public static class Exchange {
    final FakeRequest request = new FakeRequest("GET", PATH);
    final FakeResponse response = new FakeResponse(200);
  }

  /** Builds the instrumented filter and, on a separate registry, the same families bound raw. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, ServletException {
    Inferwatch iw = instance();
    metricsFilter = new MetricsFilter(iw);
    metricsFilter.doFilter(new FakeRequest("GET", PATH), new FakeResponse(200), NO_OP_CHAIN);
    withoutRequestIds = new MetricsFilter(iw).requestIds(false);
    withoutRequestIds.doFilter(new FakeRequest("GET", PATH), new FakeResponse(200), NO_OP_CHAIN);
    noOpFilter = (request, response, chain) -> chain.doFilter(request, response);

    PrometheusRegistry raw = new PrometheusRegistry();
    requests =
        Counter.builder()
            .name("raw_requests_total")
            .labelNames("method", "route", "status")
            .register(raw)
            .labelValues("GET", TEMPLATE, "200");
    duration =
        Histogram.builder()
            .name("raw_request_duration_seconds")
            .labelNames("method", "route", "status")
            .classicUpperBounds(sameBucketsAs(iw, "http_server_request_duration_seconds"))
            .register(raw)
            .labelValues("GET", TEMPLATE, "200");
  }

  /** The instance every filter benchmark records into: its own registry, one route template. */
  static Inferwatch instance() {
    return Isolated.inferwatch()
        .service("bench")
        .environment("test")
        .routes(r -> r.template(TEMPLATE))
        .build();
  }

  /** The upper bounds the kit uses, read back from its registry so the baseline cannot drift. */
  static double[] sameBucketsAs(Inferwatch iw, String family) {
    for (MetricSnapshot snapshot : iw.registry().scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals(family)) {
        HistogramSnapshot histogram = (HistogramSnapshot) snapshot;
        return histogram.getDataPoints().get(0).getClassicBuckets().stream()
            .mapToDouble(ClassicHistogramBucket::getUpperBound)
            .filter(Double::isFinite)
            .toArray();
      }
    }
    throw new IllegalStateException(family + " not found");
  }

  /** The filter recording one request. */
  @Benchmark
  public void filter(Exchange exchange) throws IOException, ServletException {
    metricsFilter.doFilter(exchange.request, exchange.response, NO_OP_CHAIN);
  }

  /** The filter with request ids off: the metrics part of its cost alone. */
  @Benchmark
  public void filterWithoutRequestIds(Exchange exchange) throws IOException, ServletException {
    withoutRequestIds.doFilter(exchange.request, exchange.response, NO_OP_CHAIN);
  }

  /**
   * The filter behind a container adapter: the arrival time handed over, the queue time recorded in
   * a second histogram.
   */
  @Benchmark
  public void filterBehindAdapter(Exchange exchange) throws IOException, ServletException {
    Arrivals.Slot slot = Arrivals.arrived(System.nanoTime());
    try {
      metricsFilter.doFilter(exchange.request, exchange.response, NO_OP_CHAIN);
    } finally {
      slot.close();
    }
  }

  /** What the filter does, written out against bound client_java data points. */
  @Benchmark
  public void rawOperations() {
    long start = System.nanoTime();
    active.increment();
    long elapsed = System.nanoTime() - start;
    active.decrement();
    requests.inc();
    duration.observe(elapsed / 1e9);
  }

  /** A filter that only passes the request on: the floor of any filter. */
  @Benchmark
  public void noOpFilter(Exchange exchange) throws IOException, ServletException {
    noOpFilter.doFilter(exchange.request, exchange.response, NO_OP_CHAIN);
  }
}
