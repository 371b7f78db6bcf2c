package dev.inferwatch.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.core.internal.MetricNames;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Nobody can fill the route table: known routes never spend the dynamic budget, a parent with too
 * many literal children folds into one route, and only successful responses admit new routes.
 */
class RouteBudgetTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Samples samples = new Samples(registry);

  private Inferwatch iw(Consumer<RouteNormalizer.Builder> routes) {
    return Inferwatch.builder()
        .registry(registry)
        .jvmMetrics(false)
        .discoverModules(false)
        .routes(routes)
        .build();
  }

  private static void request(Inferwatch iw, String path, int status) {
    iw.http().started(HttpMethod.GET);
    iw.http().finished(HttpMethod.GET, iw.routes().normalize(path), status, 1_000_000);
  }

  private static String word(Random random) {
    char[] letters = new char[3 + random.nextInt(8)];
    for (int i = 0; i < letters.length; i++) {
      letters[i] = (char) ('g' + random.nextInt(20)); // never hex-only, never id-like
    }
    return new String(letters);
  }

  @Test
  void aHundredThousandRandomWordsUnderOneParentAreOneRouteWhileRealChildrenStayThemselves() {
    try (Inferwatch iw = iw(r -> {})) {
      String[] pages = {
        "about",
        "pricing",
        "blog",
        "careers",
        "contact",
        "docs",
        "faq",
        "legal",
        "privacy",
        "terms",
        "status",
        "team",
        "press",
        "partners",
        "security"
      };
      Random random = new Random(22);
      for (int i = 0; i < 100_000; i++) {
        request(iw, "/users/" + word(random), 200);
        if (i % 1_000 == 0) {
          for (String page : pages) {
            request(iw, "/site/" + page, 200);
          }
        }
      }
      Set<String> expected = new HashSet<>();
      expected.add("/users/{param}");
      for (String page : pages) {
        expected.add("/site/" + page);
      }
      assertThat(samples.labelValues(MetricNames.HTTP_REQUESTS, "route"))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(samples.value(MetricNames.HTTP_REQUESTS, "route", "/users/{param}"))
          .as("every request counted, before and after the fold")
          .isEqualTo(100_000);
      assertThat(iw.events().recent(50))
          .filteredOn(e -> e.type() == EventType.ROUTE_FOLDED)
          .singleElement()
          .satisfies(e -> assertThat(e.subject()).isEqualTo("/users/{param}"));
      assertThat(samples.value("inferwatch_events_total", "type", "route_folded")).isEqualTo(1);
      assertThat(iw.routes().normalize("/users/" + word(random)).name())
          .isEqualTo("/users/{param}");
    }
  }

  @Test
  void childrenAdmittedWhileAnotherThreadFoldsTheirParentNeverComeBackAsTheirOwnRoute()
      throws Exception {
    // 16 threads send distinct words at once, so some children are admitted and recorded in the
    // instant another thread folds their parent; a fresh instance per round gives the race 40
    // tries.
    for (int round = 0; round < 40; round++) {
      PrometheusRegistry roundRegistry = new PrometheusRegistry();
      Samples roundSamples = new Samples(roundRegistry);
      try (Inferwatch iw =
          Inferwatch.builder()
              .registry(roundRegistry)
              .jvmMetrics(false)
              .discoverModules(false)
              .build()) {
        int threads = 16;
        int perThread = 20;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          List<Future<?>> done = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            Random random = new Random(round * 100L + t);
            done.add(
                pool.submit(
                    () -> {
                      start.await();
                      for (int i = 0; i < perThread; i++) {
                        Route route = iw.routes().normalize("/users/" + word(random) + i);
                        iw.http().started(HttpMethod.GET);
                        iw.http().finished(HttpMethod.GET, route, 200, 1_000_000);
                        iw.http().failed(route, 200, "Oops");
                        iw.http().disconnected(route, 200);
                      }
                      return null;
                    }));
          }
          for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
          }
        } finally {
          pool.shutdownNow();
        }
        assertThat(roundSamples.labelValues(MetricNames.HTTP_REQUESTS, "route"))
            .as("round %d", round)
            .containsExactly("/users/{param}");
        assertThat(roundSamples.labelValues(MetricNames.HTTP_ERRORS, "route"))
            .as("round %d", round)
            .containsExactly("/users/{param}");
        assertThat(roundSamples.labelValues(MetricNames.HTTP_DISCONNECTS, "route"))
            .as("round %d", round)
            .containsExactly("/users/{param}");
        assertThat(roundSamples.value(MetricNames.HTTP_REQUESTS, "route", "/users/{param}"))
            .as("round %d: every request counted across the fold", round)
            .isEqualTo(threads * perThread);
        assertThat(roundSamples.value(MetricNames.HTTP_ERRORS, "route", "/users/{param}"))
            .as("round %d: every error counted across the fold", round)
            .isEqualTo(threads * perThread);
      }
    }
  }

  @Test
  void foldingFreesTheBudgetTheMergedChildrenHeld() {
    try (Inferwatch iw = iw(r -> r.maxRoutes(22).fanout(20))) {
      for (int i = 0; i < 21; i++) {
        request(iw, "/tags/word" + (char) ('a' + i), 200);
      }
      for (int i = 0; i < 15; i++) {
        request(iw, "/page" + (char) ('g' + i), 200);
      }
      assertThat(samples.labelValues(MetricNames.HTTP_REQUESTS, "route"))
          .hasSize(16)
          .contains("/tags/{param}", "/pageg", "/pageu")
          .doesNotContain(RouteNormalizer.OVERFLOW, "/tags/worda");
      assertThat(samples.value(MetricNames.HTTP_REQUESTS, "route", "/tags/{param}"))
          .as("the counts of the merged children move with them")
          .isEqualTo(21);
      assertThat(samples.value(MetricNames.HTTP_DURATION, "route", "/tags/{param}"))
          .as("latencies before the fold cannot be merged and are dropped")
          .isEqualTo(1);
      assertThat(iw.http().dynamicRoutes()).isEqualTo(16);
    }
  }

  @Test
  void knownRoutesNeverSpendTheDynamicBudget() {
    try (Inferwatch iw = iw(r -> r.template("/v1/models/{id}").maxRoutes(5))) {
      iw.routes().reserve("/predict");
      for (int i = 0; i < 5; i++) {
        request(iw, "/w" + (char) ('g' + i), 200);
      }
      request(iw, "/another", 200);
      request(iw, "/predict", 200);
      request(iw, "/v1/models/llama", 200);
      iw.http().started(HttpMethod.GET);
      iw.http().finished(HttpMethod.GET, iw.routes().explicit("/orders/{id}"), 200, 1_000);

      assertThat(samples.labelValues(MetricNames.HTTP_REQUESTS, "route"))
          .contains("/predict", "/v1/models/{id}", "/orders/{id}", RouteNormalizer.OVERFLOW)
          .doesNotContain("/another");
      assertThat(iw.http().dynamicRoutes()).isEqualTo(5);
      assertThat(iw.routes().normalize("/predict").templated()).isTrue();
    }
  }

  @Test
  void onlyResponsesBelow400AddADynamicRoute() {
    try (Inferwatch iw = iw(r -> r.maxRoutes(100))) {
      for (int i = 0; i < 50; i++) {
        request(iw, "/scan" + word(new Random(i)), 400 + i % 100);
      }
      request(iw, "/orders", 302);
      request(iw, "/orders", 404);
      request(iw, "/cart", 500);

      assertThat(samples.labelValues(MetricNames.HTTP_REQUESTS, "route"))
          .containsExactlyInAnyOrder("/orders", RouteNormalizer.UNMATCHED);
      assertThat(samples.value(MetricNames.HTTP_REQUESTS, "route", "/orders", "status", "404"))
          .as("an admitted route keeps its errors")
          .isEqualTo(1);
      assertThat(iw.http().dynamicRoutes()).isEqualTo(1);
    }
  }
}
