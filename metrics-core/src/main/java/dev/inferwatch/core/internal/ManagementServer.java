package dev.inferwatch.core.internal;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A separate management port serving {@code /metrics} through client_java's own HTTP exporter, for
 * applications that keep metrics off their public port ({@code INFERWATCH_METRICS_PORT}).
 */
public final class ManagementServer implements AutoCloseable {

  private final HTTPServer server;

  private ManagementServer(HTTPServer server) {
    this.server = server;
  }

  /** Serves {@code registry} on {@code host:port} (0 picks a free port). */
  public static ManagementServer start(String host, int port, PrometheusRegistry registry) {
    try {
      return new ManagementServer(
          HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not open the management port " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "management port " + server.getPort();
  }
}
