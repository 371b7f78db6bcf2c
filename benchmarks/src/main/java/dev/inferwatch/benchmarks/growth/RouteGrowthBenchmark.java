package dev.inferwatch.benchmarks.growth;

import dev.inferwatch.benchmarks.Isolated;
import dev.inferwatch.benchmarks.fakes.FakeRequest;
import dev.inferwatch.benchmarks.fakes.FakeResponse;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import jakarta.servlet.FilterChain;
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

/**
 * The filter's cost per request as the number of live routes grows: requests walk {@code routes}
 * distinct paths (each its own route, all already recorded) in a scattered order, so the route
 * cache and the series behind it are as large as the parameter says and no request hits the same
 * entry as the one before. The route cap is 2,000 for every size, so only the live count differs.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RouteGrowth -p routes=10,200,2000
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteGrowthBenchmark {

  /** Live routes. */
  @Param({"10", "200", "2000"})
  public int routes;

  static final int MAX_ROUTES = 2_000;

  // A prime stride visits every path once per cycle, in an order the CPU cannot prefetch.
  private static final int STRIDE = 7_919;

  private static final FilterChain NO_OP_CHAIN = (request, response) -> {};

  private MetricsFilter filter;
  private FakeRequest[] requests;

  /** Per-thread position and response. */
  @State(Scope.Thread)
  public static class Cursor {
    final FakeResponse response = new FakeResponse(200);
    int next;
  }

  /** Builds the filter and records every path once. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, ServletException {
    Inferwatch iw = Isolated.inferwatch().routes(r -> r.maxRoutes(MAX_ROUTES)).build();
    filter = new MetricsFilter(iw);
    requests = new FakeRequest[routes];
    FakeResponse response = new FakeResponse(200);
    for (int i = 0; i < routes; i++) {
      requests[i] = new FakeRequest("GET", "/api/" + name(i));
      filter.doFilter(requests[i], response, NO_OP_CHAIN);
    }
  }

  /** {@code i} in letters, so that the normaliser keeps it as a route and never as an id. */
  static String name(int i) {
    StringBuilder name = new StringBuilder("route-");
    int n = i;
    do {
      name.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return name.toString();
  }

  /** One request to the next path. */
  @Benchmark
  public void filter(Cursor cursor) throws IOException, ServletException {
    cursor.next = (cursor.next + STRIDE) % routes;
    filter.doFilter(requests[cursor.next], cursor.response, NO_OP_CHAIN);
  }
}
