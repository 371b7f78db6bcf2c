package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.RouteNormalizer;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Random paths cannot grow the route label set or the normaliser's memory. */
class CardinalityTest {

  private static final int MAX_ROUTES = 200;
  private static final String[] WORDS = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(registry)
          .jvmMetrics(false)
          .discoverModules(false)
          .routes(r -> r.maxRoutes(MAX_ROUTES))
          .build();

  static String randomPath(Random random, int i) {
    switch (i % 4) {
      case 0:
        return "/users/" + random.nextInt(1_000_000) + "/orders";
      case 1:
        return "/items/" + UUID.randomUUID();
      case 2:
        return "/"
            + WORDS[random.nextInt(WORDS.length)]
            + "-"
            + WORDS[random.nextInt(20)]
            + "/"
            + WORDS[random.nextInt(WORDS.length)]
            + i;
      default:
        return "/scan/" + Long.toHexString(random.nextLong()) + "/x" + i;
    }
  }

  @Test
  void hundredThousandDistinctPathsLeaveAtMostMaxRoutesPlusTwoRouteValues() throws Exception {
    MetricsFilter filter = new MetricsFilter(iw);
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      // Every fifth request is a 404, as a scanner's would be.
      int status = i % 5 == 0 ? 404 : 200;
      filter.doFilter(
          FakeExchange.request("GET", randomPath(random, i)),
          FakeExchange.response(status),
          (req, res) -> {});
    }

    Scrape s = Scrape.of(registry);
    Set<String> routes = s.labelValues("http_server_requests_total", "route");
    System.out.printf(
        "cardinality: 100000 distinct paths -> %d route values, %d cached paths%n",
        routes.size(), iw.routes().cachedPaths());
    assertThat(routes.size()).isLessThanOrEqualTo(MAX_ROUTES + 2);
    assertThat(routes).contains(RouteNormalizer.UNMATCHED);
    assertThat(s.value("http_server_requests_total")).isEqualTo(100_000);
    assertThat(iw.routes().cachedPaths()).isLessThanOrEqualTo(RouteNormalizer.DEFAULT_CACHE_SIZE);
    assertThat(iw.http().admittedRoutes()).isLessThanOrEqualTo(MAX_ROUTES);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void randomPathsOverHttpStayBounded(Container container) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    try (Container.Running app =
        container.start(
            new MetricsFilter(iw),
            Container.servlets(
                "/", TestServlets.text(200, "ok"), "/metrics", new MetricsServlet(iw)))) {
      Random random = new Random(7);
      for (int i = 0; i < 1_000; i++) {
        client.send(
            HttpRequest.newBuilder(app.uri(randomPath(random, i))).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      String body =
          client
              .send(
                  HttpRequest.newBuilder(app.uri("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Scrape s = Scrape.parse(body);
      assertThat(s.labelValues("http_server_requests_total", "route").size())
          .isLessThanOrEqualTo(MAX_ROUTES + 2);
      assertThat(s.value("http_server_requests_total")).isEqualTo(1_000);
    }
  }
}
