package dev.inferwatch.benchmarks;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.HttpMethod;
import dev.inferwatch.core.http.Route;
import dev.inferwatch.core.http.RouteNormalizer;
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
 * Route normalisation: a cached hit, a path seen for the first time (the full template and
 * heuristic pass), a path whose route lands past the route cap, and 10⁵ distinct id-bearing paths
 * cycling through the bounded cache. The trial fails if the cache or the route set outgrew its
 * bound.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RouteNormalization -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteNormalizationBenchmark {

  static final int DISTINCT_PATHS = 100_000;

  private Inferwatch iw;
  private RouteNormalizer routes;
  private RouteNormalizer uncached;
  private String[] idPaths;
  private String[] namedPaths;

  /** Where each thread is in the path arrays. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance() {
      int i = next;
      next = i + 1 == DISTINCT_PATHS ? 0 : i + 1;
      return i;
    }
  }

  /** Builds the normalisers and the 10⁵-path tables. */
  @Setup(Level.Trial)
  public void setUp() {
    iw =
        Isolated.inferwatch()
            .routes(r -> r.template("/v1/models/{id}").template("/v1/chat/completions"))
            .build();
    routes = iw.routes();
    uncached =
        RouteNormalizer.builder()
            .template("/v1/models/{id}")
            .template("/v1/chat/completions")
            .cacheSize(0)
            .build();
    idPaths = new String[DISTINCT_PATHS];
    namedPaths = new String[DISTINCT_PATHS];
    for (int i = 0; i < DISTINCT_PATHS; i++) {
      idPaths[i] = "/users/" + (1_000_000 + i) + "/orders";
      namedPaths[i] = "/catalog/" + letters(i);
    }
    for (int i = 0; i < 1_000; i++) {
      iw.http().finished(HttpMethod.GET, routes.normalize(namedPaths[i]), 200, 1_000);
    }
  }

  /** {@code i} in base 26 with letters only, so the heuristic keeps it as a distinct route. */
  private static String letters(int i) {
    StringBuilder s = new StringBuilder("item-");
    int n = i;
    do {
      s.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return s.toString();
  }

  /** Checks that 10⁵ distinct paths left the cache and the route set within their caps. */
  @TearDown(Level.Trial)
  public void checkBounded() {
    if (routes.cachedPaths() > RouteNormalizer.DEFAULT_CACHE_SIZE
        || iw.http().admittedRoutes() > routes.maxRoutes()) {
      throw new IllegalStateException(
          "unbounded: "
              + routes.cachedPaths()
              + " cached paths, "
              + iw.http().admittedRoutes()
              + " routes");
    }
  }

  /** A path already in the cache. */
  @Benchmark
  public Route cachedHit() {
    return routes.normalize("/v1/models/gpt-4o");
  }

  /** A path normalised from scratch: templates, then the id heuristic. */
  @Benchmark
  public Route firstSeen() {
    return uncached.normalize("/users/12345/orders/7f3a9c21");
  }

  /** A new distinct route past the cap, recorded as {@code __overflow__}. */
  @Benchmark
  public void overflowRoute(Cursor cursor) {
    Route route = routes.normalize(namedPaths[cursor.advance()]);
    iw.http().finished(HttpMethod.GET, route, 200, 1_000);
  }

  /** One of 10⁵ distinct id-bearing paths, most of them past the cache bound. */
  @Benchmark
  public Route distinctPaths(Cursor cursor) {
    return routes.normalize(idPaths[cursor.advance()]);
  }
}
