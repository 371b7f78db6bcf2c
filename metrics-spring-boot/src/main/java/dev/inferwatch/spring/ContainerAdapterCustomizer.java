package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Installs the kit's Tomcat valve or Jetty handler on the server Boot is about to build, with a
 * timed thread pool sized as Boot configured its own. Runs last among the customizers so it sees
 * {@code server.tomcat.threads.*}, {@code server.jetty.threads.*} and virtual threads already
 * applied.
 *
 * <p>The factories and their callback interfaces live in other packages in Boot 3 and Boot 4, with
 * the same method names, so they are reached by name; the container classes themselves are Tomcat's
 * and Jetty's, the same in both.
 */
final class ContainerAdapterCustomizer
    implements WebServerFactoryCustomizer<WebServerFactory>, Ordered {

  private static final Logger log = LoggerFactory.getLogger(ContainerAdapterCustomizer.class);
  private static final ClassLoader LOADER = ContainerAdapterCustomizer.class.getClassLoader();
  private static final boolean TOMCAT = ClassUtils.isPresent("org.apache.catalina.Valve", LOADER);
  private static final boolean JETTY =
      ClassUtils.isPresent("org.eclipse.jetty.server.Server", LOADER);

  private final Inferwatch inferwatch;
  private final Integer jettyQueueCapacity;

  ContainerAdapterCustomizer(Inferwatch inferwatch, Integer jettyQueueCapacity) {
    this.inferwatch = inferwatch;
    this.jettyQueueCapacity = jettyQueueCapacity;
  }

  @Override
  public void customize(WebServerFactory factory) {
    try {
      if (TOMCAT && method(factory, "addEngineValves") != null) {
        TomcatAdapter.install(factory, inferwatch);
      } else if (JETTY && method(factory, "addServerCustomizers") != null) {
        JettyAdapter.install(factory, inferwatch, jettyQueueCapacity);
      } else {
        log.debug("Inferwatch has no container adapter for {}", factory.getClass().getName());
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // The application starts without the adapter rather than not at all.
      log.warn(
          "Inferwatch container adapter not installed on {}: {}",
          factory.getClass().getName(),
          e.toString());
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /** The public one-argument method of {@code factory} called {@code name}, or null. */
  static Method method(Object factory, String name) {
    for (Method method : factory.getClass().getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == 1) {
        return method;
      }
    }
    return null;
  }

  /**
   * Calls {@code factory.<adder>(callback)} where the adder takes a varargs array of one of Boot's
   * one-method callback interfaces ({@code TomcatConnectorCustomizer}, {@code
   * JettyServerCustomizer}), the callback running {@code action} on its one argument.
   */
  static void addCallback(Object factory, String adder, Consumer<Object> action)
      throws ReflectiveOperationException {
    Method method = method(factory, adder);
    if (method == null || !method.getParameterTypes()[0].isArray()) {
      throw new NoSuchMethodException(factory.getClass().getName() + "." + adder);
    }
    Class<?> type = method.getParameterTypes()[0].getComponentType();
    Object callback =
        Proxy.newProxyInstance(
            LOADER,
            new Class<?>[] {type},
            (proxy, called, args) ->
                switch (called.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "toString" -> "Inferwatch " + type.getSimpleName();
                  default -> {
                    action.accept(args[0]);
                    yield null;
                  }
                });
    Object array = Array.newInstance(type, 1);
    Array.set(array, 0, callback);
    method.invoke(factory, array);
  }
}
