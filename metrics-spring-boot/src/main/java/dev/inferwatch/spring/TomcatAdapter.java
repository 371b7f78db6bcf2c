package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.tomcat.InferwatchValve;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;

/** The kit's Tomcat valve and timed executor on Boot's Tomcat factory (Boot 3 or 4). */
final class TomcatAdapter {

  private TomcatAdapter() {}

  /**
   * Adds the valve to the engine and, through a connector customizer that runs after Boot's own, a
   * timed executor to each connector with no executor of its own.
   */
  static void install(Object factory, Inferwatch inferwatch) throws ReflectiveOperationException {
    ContainerAdapterCustomizer.method(factory, "addEngineValves")
        .invoke(factory, (Object) new Valve[] {new InferwatchValve(inferwatch)});
    ContainerAdapterCustomizer.addCallback(
        factory,
        "addConnectorCustomizers",
        connector -> InferwatchValve.timeQueue((Connector) connector, inferwatch));
  }
}
