package dev.inferwatch.core.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.inferwatch.core.internal.auth.Credentials;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A separate management port serving {@code /metrics} through client_java's own HTTP exporter, for
 * applications that keep metrics off their public port ({@code INFERWATCH_METRICS_PORT}), behind
 * the same {@link Credentials} as the main port's {@code /metrics}.
 *
 * <p>Its threads are the kit's own (daemon, named {@code inferwatch-management-N}) and {@link
 * #close()} waits for them, so an undeployed web application leaves none behind.
 */
public final class ManagementServer implements AutoCloseable {

  /** Loopback: where an unprotected management port listens unless told otherwise. */
  public static final String LOOPBACK = "127.0.0.1";

  /** All interfaces: where a protected management port listens unless told otherwise. */
  public static final String ANY = "0.0.0.0";

  // A scrape is quick; two threads keep one slow scraper from blocking the next.
  private static final int THREADS = 2;

  private final HTTPServer server;
  private final ExecutorService pool;
  private final String host;

  private ManagementServer(HTTPServer server, ExecutorService pool, String host) {
    this.server = server;
    this.pool = pool;
    this.host = host;
  }

  /**
   * Serves {@code registry} on {@code host:port} (0 picks a free port) to requests {@code
   * credentials} admit; a refusal is 401 with a {@code WWW-Authenticate} challenge.
   */
  public static ManagementServer start(
      String host, int port, PrometheusRegistry registry, Credentials credentials) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(64),
            DaemonThreads.pool("inferwatch-management"),
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    HTTPServer.Builder builder =
        HTTPServer.builder().hostname(host).port(port).registry(registry).executorService(pool);
    if (credentials.enabled()) {
      builder.authenticator(new CredentialsAuthenticator(credentials));
    }
    try {
      return new ManagementServer(builder.buildAndStart(), pool, host);
    } catch (IOException e) {
      DaemonThreads.stop(pool);
      throw new UncheckedIOException(
          "could not open the management port " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code host} when it reads as a host name or an IPv4/IPv6 address (not resolved here), else a
   * refusal; what {@code INFERWATCH_METRICS_HOST} and the demo's {@code HOST} accept.
   */
  public static String checkHost(String host) {
    if (host == null || !host.matches("[A-Za-z0-9._:%\\[\\]-]+")) {
      throw new IllegalArgumentException("not a host name or IP address: " + host);
    }
    return host;
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  /** The address it is bound to. */
  public String host() {
    return host;
  }

  @Override
  public void close() {
    server.close();
    DaemonThreads.stop(pool);
  }

  @Override
  public String toString() {
    return "management port " + host + ":" + server.getPort();
  }

  /** The JDK server's hook over {@link Credentials}: the header in, a decision out. */
  private static final class CredentialsAuthenticator extends Authenticator {
    private final Credentials credentials;

    CredentialsAuthenticator(Credentials credentials) {
      this.credentials = credentials;
    }

    @Override
    public Result authenticate(HttpExchange exchange) {
      if (credentials.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
        return new Success(new HttpPrincipal("scraper", Credentials.REALM));
      }
      for (String challenge : credentials.challenges()) {
        exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
      }
      return new Retry(401);
    }
  }
}
