package dev.inferwatch.example;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The packaged war, with nothing but a trivial servlet and the Inferwatch jars in WEB-INF/lib,
 * deployed into real Tomcat 11 and Jetty 12 (annotation and initializer scanning on): it is
 * instrumented with zero code.
 */
class DropInIT {

  private static final Path WAR = Path.of(System.getProperty("war.path"));

  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Hits the app, then returns the scrape, asserting the app was instrumented. */
  private void assertInstrumented(URI base) throws Exception {
    assertThat(get(base, "/shop/hello/42").statusCode()).isEqualTo(200);
    assertThat(get(base, "/shop/hello/43").statusCode()).isEqualTo(200);
    assertThat(get(base, "/shop/reports/2025").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = get(base, "/shop/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(get(base, "/shop/v1/models").body()).contains("\"data\":[]");
    assertThat(metrics.body())
        .contains(
            "http_server_requests_total{method=\"GET\",route=\"/hello/{id}\",status=\"200\"} 2.0")
        // The exact mapping is the route, where the normaliser alone would say /reports/{id}.
        .contains(
            "http_server_requests_total{method=\"GET\",route=\"/reports/2025\",status=\"200\"} 1.0")
        .contains("jvm_memory_used_bytes");
    assertThat(get(base, "/shop/livez").statusCode()).isEqualTo(200);
    assertThat(get(base, "/shop/readyz").statusCode()).isEqualTo(200);
    assertThat(get(base, "/shop/startupz").statusCode()).isEqualTo(200);
    assertThat(get(base, "/shop/health/detailed").body()).contains("\"started\"");
    assertThat(get(base, "/shop/ping").statusCode()).isEqualTo(200);
    assertThat(get(base, "/shop/").body()).contains("\"status\":\"UP\"");
    HttpResponse<String> info = get(base, "/shop/info");
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.body()).contains("\"/livez\"").contains("\"server_info\"");
    HttpResponse<String> status = get(base, "/shop/inferwatch");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("var SOURCE = \"metrics.json\";");
  }

  @Test
  void tomcatInstrumentsThePlainWar() throws Exception {
    try (RunningTomcat tomcat = RunningTomcat.start(Map.of(), false)) {
      assertInstrumented(tomcat.base);
    }
  }

  @Test
  void tomcatLeavesPathsTheAppMapsAlone() throws Exception {
    try (RunningTomcat tomcat = RunningTomcat.start(Map.of(), true)) {
      HttpResponse<String> metrics = get(tomcat.base, "/shop/metrics");
      assertThat(metrics.body()).isEqualTo("the app's own /metrics");
      assertThat(get(tomcat.base, "/shop/hello").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tomcatDropInCanBeSwitchedOff() throws Exception {
    try (RunningTomcat tomcat = RunningTomcat.start(Map.of("inferwatch.enabled", "false"), false)) {
      assertThat(get(tomcat.base, "/shop/hello").statusCode()).isEqualTo(200);
      assertThat(get(tomcat.base, "/shop/metrics").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void jettyWithAnnotationScanningInstrumentsThePlainWar() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/shop");
    webapp.setWar(WAR.toString());
    webapp.setTempDirectory(Files.createTempDirectory("jetty-war").toFile());
    webapp.addConfiguration(new AnnotationConfiguration());
    server.setHandler(webapp);
    server.start();
    try {
      assertInstrumented(URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    } finally {
      server.stop();
    }
  }

  /** Embedded Tomcat 11 with the war deployed at /shop. */
  private static final class RunningTomcat implements AutoCloseable {
    final Tomcat tomcat;
    final URI base;

    private RunningTomcat(Tomcat tomcat, URI base) {
      this.tomcat = tomcat;
      this.base = base;
    }

    static RunningTomcat start(Map<String, String> params, boolean appMapsMetrics)
        throws Exception {
      Path dir = Files.createTempDirectory("tomcat-war");
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(dir.toString());
      Connector connector = new Connector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.getService().addConnector(connector);
      tomcat.setConnector(connector);
      tomcat.getHost().setAppBase(dir.toString());
      Context context = tomcat.addWebapp("/shop", WAR.toString());
      params.forEach(context::addParameter);
      if (appMapsMetrics) {
        Tomcat.addServlet(context, "own-metrics", new OwnMetrics());
        context.addServletMappingDecoded("/metrics", "own-metrics");
      }
      tomcat.start();
      return new RunningTomcat(tomcat, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    @Override
    public void close() throws Exception {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  /** An application servlet that already owns /metrics. */
  public static final class OwnMetrics extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getWriter().write("the app's own /metrics");
    }
  }
}
