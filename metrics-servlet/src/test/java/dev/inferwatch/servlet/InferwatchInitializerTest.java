package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.servlet.internal.ContextInferwatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContainerInitializerHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The drop-in's probe wiring and shutdown order in real Jetty 12 and Tomcat 11. */
class InferwatchInitializerTest {

  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(new PrometheusRegistry())
          .jvmMetrics(false)
          .discoverModules(false)
          .build();
  private final HttpClient client = HttpClient.newHttpClient();

  private int get(URI base, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(base.resolve(path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private void assertServedThenDrained(URI base, Stopper stop) throws Exception {
    assertThat(get(base, "/livez")).isEqualTo(200);
    assertThat(get(base, "/readyz")).isEqualTo(200);
    assertThat(get(base, "/startupz")).isEqualTo(200);
    assertThat(get(base, "/health/detailed")).isEqualTo(200);
    assertThat(get(base, "/info")).isEqualTo(200);
    assertThat(get(base, "/")).isEqualTo(200);
    assertThat(get(base, "/predict")).isEqualTo(404);

    stop.stop();

    assertThat(iw.health().shuttingDown()).isTrue();
    assertThat(iw.health().check(HealthGroup.READINESS).up()).isFalse();
  }

  @Test
  void jettyServesProbesAndDrainsReadinessOnStop() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.setAttribute(ContextInferwatch.ATTRIBUTE, iw);
    context.addServletContainerInitializer(
        new ServletContainerInitializerHolder(new InferwatchInitializer()));
    server.setHandler(context);
    server.start();
    assertServedThenDrained(
        URI.create("http://127.0.0.1:" + connector.getLocalPort()), server::stop);
  }

  @Test
  void tomcatServesProbesAndDrainsReadinessOnStop() throws Exception {
    File base = Files.createTempDirectory("tomcat").toFile();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.getAbsolutePath());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.getAbsolutePath());
    context.getServletContext().setAttribute(ContextInferwatch.ATTRIBUTE, iw);
    context.addServletContainerInitializer(new InferwatchInitializer(), null);
    tomcat.start();
    assertServedThenDrained(
        URI.create("http://127.0.0.1:" + connector.getLocalPort()),
        () -> {
          tomcat.stop();
          tomcat.destroy();
        });
  }

  @FunctionalInterface
  private interface Stopper {
    void stop() throws Exception;
  }
}
