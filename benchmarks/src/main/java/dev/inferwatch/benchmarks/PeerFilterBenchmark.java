package dev.inferwatch.benchmarks;

import dev.inferwatch.benchmarks.fakes.FakeRequest;
import dev.inferwatch.benchmarks.fakes.FakeResponse;
import dev.inferwatch.benchmarks.peers.MvcRoute;
import dev.inferwatch.benchmarks.peers.OtelSdkFilter;
import dev.inferwatch.benchmarks.peers.SpringObservation;
import dev.inferwatch.servlet.MetricsFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The kit's filter against the filters a user would pick instead, per request, over the same chain:
 * a handler that records the matched route the way Spring MVC does ({@link MvcRoute}), so every
 * filter labels {@code GET /v1/models/gpt-4o → 200} with the route {@code /v1/models/{id}}. The
 * peers are wired in {@code dev.inferwatch.benchmarks.peers} as their documentation says. Run with
 * {@code -prof gc} for bytes per request.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PeerFilter -t 2 -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PeerFilterBenchmark {

  private static final FilterChain ROUTED_CHAIN =
      (request, response) ->
          MvcRoute.matched((HttpServletRequest) request, FilterOverheadBenchmark.TEMPLATE);

  private Filter inferwatch;
  private Filter spring;
  private OtelSdkFilter otel;
  private SpringObservation springObservation;

  /** Per-thread request and response, as a container gives each worker its own. */
  @State(Scope.Thread)
  public static class Exchange {
    final FakeRequest request = new FakeRequest("GET", FilterOverheadBenchmark.PATH);
    final FakeResponse response = new FakeResponse(200);

    /** A fresh request has no attributes: Spring's filter keeps its observation in one. */
    FakeRequest fresh() {
      request.clearAttributes();
      return request;
    }
  }

  /** The kit as in {@link FilterOverheadBenchmark}, and each peer on its own registry. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, ServletException {
    inferwatch = new MetricsFilter(FilterOverheadBenchmark.instance());
    springObservation = new SpringObservation();
    spring = springObservation.filter();
    otel = new OtelSdkFilter();
    Exchange warm = new Exchange();
    for (Filter filter : new Filter[] {inferwatch, spring, otel}) {
      filter.doFilter(warm.fresh(), warm.response, ROUTED_CHAIN);
    }
    if (!springObservation.meterRegistry().scrape().contains("uri=\"/v1/models/{id}\"")
        || !otel.recordedRoute(FilterOverheadBenchmark.TEMPLATE)) {
      throw new IllegalStateException("a peer did not record the route");
    }
  }

  /** Closes the OpenTelemetry meter provider. */
  @TearDown(Level.Trial)
  public void tearDown() {
    otel.close();
  }

  /** {@code MetricsFilter}, over the same routed chain as the peers. */
  @Benchmark
  public void inferwatch(Exchange exchange) throws IOException, ServletException {
    inferwatch.doFilter(exchange.fresh(), exchange.response, ROUTED_CHAIN);
  }

  /** Spring's {@code ServerHttpObservationFilter} into Micrometer's Prometheus registry. */
  @Benchmark
  public void springObservation(Exchange exchange) throws IOException, ServletException {
    spring.doFilter(exchange.fresh(), exchange.response, ROUTED_CHAIN);
  }

  /** An OpenTelemetry SDK filter recording the HTTP server duration and active requests. */
  @Benchmark
  public void otelSdk(Exchange exchange) throws IOException, ServletException {
    otel.doFilter(exchange.fresh(), exchange.response, ROUTED_CHAIN);
  }

  /** The routed chain alone: the floor under every filter above. */
  @Benchmark
  public void chainOnly(Exchange exchange) throws IOException, ServletException {
    ROUTED_CHAIN.doFilter(exchange.fresh(), exchange.response);
  }
}
