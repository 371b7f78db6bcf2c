package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.testkit.Container;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
                "{\"error\":{\"message\":\"metrics need credentials\",\"type\":\"unauthorized\"}}");
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

  @Test
  void readsCredentialsFromSettingsAndRejectsHalfAConfiguration() {
    MetricsAuth auth =
        MetricsAuth.fromSettings(
            Settings.of(Map.of("INFERWATCH_METRICS_TOKEN", TOKEN), key -> null));
    assertThat(auth.enabled()).isTrue();
    assertThat(auth.accepts("Bearer " + TOKEN)).isTrue();
    assertThat(MetricsAuth.fromSettings(Settings.of(Map.of(), key -> null)).enabled()).isFalse();
    assertThatThrownBy(
            () ->
                MetricsAuth.fromSettings(
                    Settings.of(Map.of("INFERWATCH_METRICS_USER", "u"), key -> null)))
        .hasMessageContaining("INFERWATCH_METRICS_PASSWORD");
  }

  /**
   * Timing-safe by construction: both sides are hashed to 32 bytes and compared with {@code
   * MessageDigest.isEqual}, so a guess right in its first characters costs what a guess wrong in
   * its first does. Measured interleaved, with a loose bound and three tries, since the machine is
   * shared and a scheduler hiccup must not fail the build.
   */
  @Test
  void aGuessRightUpToTheLastCharacterTakesNoLongerThanOneWrongFromTheFirst() {
    String secret = "x".repeat(64);
    MetricsAuth auth = MetricsAuth.bearer(secret);
    String almost = "Bearer " + "x".repeat(63) + "y";
    String far = "Bearer " + "y" + "x".repeat(63);
    assertThat(MetricsAuth.digest(secret)).hasSize(32);
    assertThat(auth.accepts(almost)).isFalse();
    assertThat(auth.accepts(far)).isFalse();
    for (int i = 0; i < 20_000; i++) {
      auth.accepts(almost);
      auth.accepts(far);
    }
    double ratio = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      ratio = medianRatio(auth, almost, far);
      if (ratio > 1 / 3.0 && ratio < 3) {
        break;
      }
    }
    assertThat(ratio).isBetween(1 / 3.0, 3.0);
  }

  private static double medianRatio(MetricsAuth auth, String a, String b) {
    long[] first = new long[1_001];
    long[] second = new long[first.length];
    for (int i = 0; i < first.length; i++) {
      first[i] = time(auth, a);
      second[i] = time(auth, b);
    }
    Arrays.sort(first);
    Arrays.sort(second);
    return (double) first[first.length / 2] / second[second.length / 2];
  }

  private static long time(MetricsAuth auth, String header) {
    long start = System.nanoTime();
    for (int j = 0; j < 10; j++) {
      auth.accepts(header);
    }
    return System.nanoTime() - start;
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
