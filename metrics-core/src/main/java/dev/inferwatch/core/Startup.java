package dev.inferwatch.core;

import dev.inferwatch.core.internal.JvmCollectors;
import dev.inferwatch.core.internal.ManagementServer;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import dev.inferwatch.core.internal.ProcessMemory;
import dev.inferwatch.core.internal.auth.Access;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The parts of {@link Inferwatch}'s start that own something outside it: JVM hooks, a port. */
final class Startup {

  private static final Logger log = LoggerFactory.getLogger(Inferwatch.class);

  private Startup() {}

  /** The JVM and process collectors; what is returned removes the JVM-wide hooks on close. */
  static AutoCloseable registerJvm(PrometheusRegistry registry, Naming names) {
    AutoCloseable hooks = JvmCollectors.registerOnce(registry, names.constLabels());
    ProcessMemory.registerOnce(
        registry, names.name(MetricNames.PROCESS_MEMORY_SHARED), names.constLabels());
    return hooks;
  }

  /**
   * Opens the management port behind the metrics credentials and returns its port. Without an
   * explicit host it listens on every interface only when credentials protect it, else on loopback:
   * an open port is never exposed by accident.
   */
  static int managementPort(Inferwatch iw, String host, int port, Access access) {
    boolean protectedPort = access.metrics().enabled();
    String bind =
        host != null ? host : protectedPort ? ManagementServer.ANY : ManagementServer.LOOPBACK;
    ManagementServer server = ManagementServer.start(bind, port, iw.registry(), access.metrics());
    iw.closeOnShutdown(server);
    if (host == null && !protectedPort) {
      log.info(
          "Inferwatch serves /metrics on management port {}:{} without credentials; set"
              + " INFERWATCH_METRICS_TOKEN (or INFERWATCH_METRICS_HOST) to reach it from elsewhere",
          bind,
          server.port());
    } else {
      log.info(
          "Inferwatch serves /metrics on management port {}:{} ({})",
          bind,
          server.port(),
          protectedPort ? "credentials required" : "no credentials");
    }
    return server.port();
  }
}
