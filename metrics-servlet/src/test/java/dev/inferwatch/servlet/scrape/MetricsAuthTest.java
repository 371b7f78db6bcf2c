package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.testkit.Container;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Basic and bearer protection of every metrics path, over real HTTP in Jetty and Tomcat. */
class MetricsAuthTest {

  private static final String TOKEN = "s3cret-scrape-token";

  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(new PrometheusRegistry())
          .jvmMetrics(false)
          .discoverModules(false)
          .build();
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    iw.close();
  }

  private Container.Running start(Container container, MetricsAuth auth) throws Exception {
    MetricsServlet metrics = new MetricsServlet(iw, auth);
    return container.start(
        null,
        Container.servlets("/metrics", metrics, "/metrics/*", metrics, "/metrics.json", metrics));
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void refusesMissingAndWrongCredentialsWithAChallengeOnEveryPath(Container container)
      throws Exception {
    MetricsAuth auth = MetricsAuth.basic("prom", "pa:ss").orBearer(TOKEN);
    try (Container.Running app = start(container, auth)) {
      for (String path : new String[] {"/metrics", "/metrics/providers", "/metrics.json"}) {
        HttpResponse<String> none = get(app, path, null);
        assertThat(none.statusCode()).as(path).isEqualTo(401);
        assertThat(none.headers().allValues("WWW-Authenticate"))
            .anyMatch(v -> v.startsWith("Basic realm=\"inferwatch\""))
            .anyMatch(v -> v.startsWith("Bearer realm=\"inferwatch\""));
        assertThat(none.body())
            .doesNotContain("provider")
            .isEqualTo(
                "{\"error\":{\"message\":\"this endpoint needs credentials\",\"type\":\"unauthorized\"}}");
        assertThat(get(app, path, "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(app, path, "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(get(app, path, basic("prom", "pa:sx")).statusCode()).isEqualTo(401);
        assertThat(get(app, path, "Basic !!!not-base64").statusCode()).isEqualTo(401);
        assertThat(get(app, path, "Digest x").statusCode()).isEqualTo(401);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void servesWithTheRightBasicOrBearerCredentials(Container container) throws Exception {
    MetricsAuth auth = MetricsAuth.basic("prom", "pa:ss").orBearer(TOKEN);
    try (Container.Running app = start(container, auth)) {
      assertThat(get(app, "/metrics", basic("prom", "pa:ss")).statusCode()).isEqualTo(200);
      assertThat(get(app, "/metrics.json", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      assertThat(get(app, "/metrics/docs", "bearer " + TOKEN).statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void withoutConfigurationEverythingIsOpen(Container container) throws Exception {
    try (Container.Running app = start(container, MetricsAuth.none())) {
      assertThat(get(app, "/metrics", null).statusCode()).isEqualTo(200);
      assertThat(get(app, "/metrics.json", null).statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> get(Container.Running app, String path, String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
