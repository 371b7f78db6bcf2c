package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routes the framework or the container already matched, in real Jetty 12 and Tomcat 11: Spring
 * MVC's best-matching pattern (set by attribute name, as Spring does, without Spring), the exact
 * servlet mapping, and the order between them, the host's attribute and the normaliser.
 */
class MatchedRouteTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Container.Running start(Container container) throws Exception {
    return container.start(
        new MetricsFilter(iw),
        Container.servlets(
            "/reports/2025", spring(null, false, 200),
            "/reports/*", spring(null, false, 200),
            "/api/*", spring("/items/{id}", false, 200),
            "/", dispatcher()));
  }

  private int get(Container.Running app, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private double requests(String route, String status) {
    return Scrape.of(registry)
        .value("http_server_requests_total", "method", "GET", "route", route, "status", status);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void anExactServletMappingIsTheRouteWhereTheNormaliserWouldFoldIt(Container container)
      throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(get(app, "/reports/2025")).isEqualTo(200);
      assertThat(get(app, "/reports/2025")).isEqualTo(200);
      assertThat(get(app, "/reports/2024")).isEqualTo(200);

      assertThat(requests("/reports/2025", "200")).isEqualTo(2.0);
      // A path mapping is not exact: the normaliser names the rest.
      assertThat(requests("/reports/{id}", "200")).isEqualTo(1.0);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void springsBestMatchingPatternIsTheRouteSyncAndAsync(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(get(app, "/products/blue-shirt")).isEqualTo(200);
      assertThat(get(app, "/products/red-hat")).isEqualTo(200);
      assertThat(get(app, "/async-products/blue-shirt")).isEqualTo(200);

      assertThat(requests("/products/{slug}", "200")).isEqualTo(2.0);
      // An async request is recorded by the container's onComplete, which may run after the
      // client has its answer: wait for it, bounded.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (requests("/async-products/{slug}", "200") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(requests("/async-products/{slug}", "200")).isEqualTo(1.0);
      assertThat(Scrape.of(registry).labelValues("http_server_requests_total", "route"))
          .containsExactlyInAnyOrder("/products/{slug}", "/async-products/{slug}");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aFrameworkUnderAPathMappingGetsItsServletPathInFront(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(get(app, "/api/items/7")).isEqualTo(200);

      assertThat(requests("/api/items/{id}", "200")).isEqualTo(1.0);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theHostsAttributeWinsOverTheFrameworksPattern(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(get(app, "/both/x")).isEqualTo(200);

      assertThat(requests("/both/{host}", "200")).isEqualTo(1.0);
      assertThat(requests("/both/{framework}", "200")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void theResourceHandlersCatchAllIsNoRouteSoItsNotFoundsStayUnmatched(Container container)
      throws Exception {
    try (Container.Running app = start(container)) {
      assertThat(get(app, "/static/wp-login.php")).isEqualTo(404);
      assertThat(get(app, "/static/.env")).isEqualTo(404);

      assertThat(requests("__unmatched__", "404")).isEqualTo(2.0);
      assertThat(requests("/**", "404")).isZero();
    }
  }

  /**
   * Stands for Spring's dispatcher servlet on the default mapping {@code /}: it sets the pattern it
   * matched for the path, relative to the context, and answers.
   */
  private static HttpServlet dispatcher() {
    HttpServlet products = spring("/products/{slug}", false, 200);
    HttpServlet asyncProducts = spring("/async-products/{slug}", true, 200);
    HttpServlet both = both("/both/{host}", "/both/{framework}");
    HttpServlet resources = spring("/**", false, 404);
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp)
          throws jakarta.servlet.ServletException, IOException {
        String path = req.getServletPath();
        HttpServlet handler =
            path.startsWith("/products/")
                ? products
                : path.startsWith("/async-products/")
                    ? asyncProducts
                    : path.startsWith("/both/") ? both : resources;
        handler.service((jakarta.servlet.ServletRequest) req, resp);
      }
    };
  }

  /** Sets the pattern as Spring's handler mapping does during dispatch, then answers. */
  private static HttpServlet spring(String pattern, boolean async, int status) {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (pattern != null) {
          req.setAttribute(MatchedRoute.SPRING_PATTERN, pattern);
        }
        if (!async) {
          resp.setStatus(status);
          resp.getWriter().write("ok");
          return;
        }
        AsyncContext context = req.startAsync();
        CompletableFuture.runAsync(
            () -> {
              try {
                context.getResponse().getWriter().write("later");
              } catch (IOException ignored) {
                // client gone
              } finally {
                context.complete();
              }
            },
            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
      }
    };
  }

  private static HttpServlet both(String host, String framework) {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setAttribute(MatchedRoute.SPRING_PATTERN, framework);
        req.setAttribute(Inferwatch.ROUTE_ATTRIBUTE, host);
        resp.getWriter().write("ok");
      }
    };
  }
}
