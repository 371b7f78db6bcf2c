package dev.inferwatch.benchmarks;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;

/** A servlet config with no init parameters, for servlets initialised outside a container. */
final class FakeServletConfig implements ServletConfig {

  private final ServletContext context = Unsupported.of(ServletContext.class);

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
