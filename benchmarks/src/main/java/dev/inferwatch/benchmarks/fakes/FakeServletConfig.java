package dev.inferwatch.benchmarks.fakes;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/** A servlet config with no init parameters, for servlets initialised outside a container. */
public final class FakeServletConfig implements ServletConfig {

  // Settings are read from context parameters too (metrics auth); there are none.
  private final ServletContext context =
      Unsupported.except(
          ServletContext.class,
          Map.of(
              "getInitParameter",
              () -> null,
              "getInitParameterNames",
              Collections::emptyEnumeration));

  @Override
  public String getServletName() {
    return "metrics";
  }

  @Override
  public ServletContext getServletContext() {
    return context;
  }

  @Override
  public String getInitParameter(String name) {
    return null;
  }

  @Override
  public Enumeration<String> getInitParameterNames() {
    return Collections.emptyEnumeration();
  }
}
