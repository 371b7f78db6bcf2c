package dev.inferwatch.servlet.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.testkit.Container;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The status page over real HTTP: served as one self-contained HTML page in both containers. */
class StatusPageServletTest {

  // src=, href=, url(), @import and fetch() targets: any of these pointing off-origin breaks
  // offline.
  private static final Pattern ASSET_REFERENCE =
      Pattern.compile(
          "(?:src|href)\\s*=\\s*[\"']?([^\"'\\s>]+)|url\\(\\s*[\"']?([^\"')]+)|@import\\s+[\"']([^\"']+)");

  private final Inferwatch iw =
      Inferwatch.builder().registry(new PrometheusRegistry()).discoverModules(false).build();
  private final HttpClient client = HttpClient.newHttpClient();

  private Container.Running start(Container container) throws Exception {
    return container.start(
        new MetricsFilter(iw),
        Container.servlets(
            "/inferwatch", new StatusPageServlet(), "/metrics", new MetricsServlet(iw)));
  }

  private HttpResponse<String> get(Container.Running app, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void servesTheHtmlPageWithItsContentType(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response = get(app, "/inferwatch");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .matches("(?i)text/html;\\s*charset=UTF-8");
      assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(response.body())
          .startsWith("<!doctype html>")
          .contains("<html lang=\"en\">", "name=\"viewport\"", "role=\"status\"")
          .endsWith("</html>\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void pollsMetricsJsonRelativeToThePageSoContextPathsWork(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      String body = get(app, "/inferwatch").body();
      assertThat(body)
          .contains("var SOURCE = \"metrics.json\";")
          .contains("SOURCE + \"?since=\" + hist.newest : SOURCE;");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void referencesNoExternalAssetsAndForbidsThemByPolicy(Container container) throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> response = get(app, "/inferwatch");
      String body = response.body();
      Matcher m = ASSET_REFERENCE.matcher(body);
      while (m.find()) {
        String target =
            m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        assertThat(target).as("asset reference").doesNotContain("//").doesNotStartWith("http");
      }
      assertThat(body).doesNotContain("http://", "https://", "<link", "<script src", "<img");
      assertThat(response.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("default-src 'none'", "connect-src 'self'");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void answersHeadWithoutABodyAndIsNotRecordedAsARouteOfTheApp(Container container)
      throws Exception {
    try (Container.Running app = start(container)) {
      HttpResponse<String> head =
          client.send(
              HttpRequest.newBuilder(app.uri("/inferwatch"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      get(app, "/inferwatch");
      assertThat(get(app, "/metrics").body()).doesNotContain("route=\"/inferwatch\"");
    }
  }
}
