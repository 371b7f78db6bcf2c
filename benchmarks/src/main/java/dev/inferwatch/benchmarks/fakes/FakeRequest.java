package dev.inferwatch.benchmarks.fakes;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.MappingMatch;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A synchronous request with fixed method, URI and headers: what a container hands the filter and
 * the metrics servlet, without the container. Calls nobody fakes throw.
 */
public final class FakeRequest extends HttpServletRequestWrapper {

  // A servlet on the default mapping "/", as the path getters below say: the filter asks for it
  // when no route attribute is set, as it does in a container.
  private static final HttpServletMapping DEFAULT_MAPPING =
      new HttpServletMapping() {
        @Override
        public String getMatchValue() {
          return "";
        }

        @Override
        public String getPattern() {
          return "/";
        }

        @Override
        public String getServletName() {
          return "default";
        }

        @Override
        public MappingMatch getMappingMatch() {
          return MappingMatch.DEFAULT;
        }
      };

  private final String method;
  private final String uri;
  private final Map<String, String> headers = new HashMap<>();
  private final Map<String, Object> attributes = new HashMap<>();

  /** A request for {@code uri} with {@code method}, no headers and no attributes. */
  public FakeRequest(String method, String uri) {
    super(Unsupported.of(HttpServletRequest.class));
    this.method = method;
    this.uri = uri;
  }

  /** Adds a header; names are case-insensitive. */
  public FakeRequest header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  @Override
  public String getMethod() {
    return method;
  }

  @Override
  public String getRequestURI() {
    return uri;
  }

  @Override
  public String getContextPath() {
    return "";
  }

  @Override
  public String getServletPath() {
    return uri;
  }

  @Override
  public String getPathInfo() {
    return null;
  }

  @Override
  public HttpServletMapping getHttpServletMapping() {
    return DEFAULT_MAPPING;
  }

  @Override
  public String getQueryString() {
    return null;
  }

  @Override
  public String getHeader(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String value = getHeader(name);
    return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
  }

  @Override
  public String getParameter(String name) {
    return null;
  }

  @Override
  public String[] getParameterValues(String name) {
    return null;
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public void removeAttribute(String name) {
    attributes.remove(name);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return Collections.enumeration(attributes.keySet());
  }

  /**
   * Drops every attribute, so one instance serves the next request as a fresh one would: filters
   * that keep state in attributes (Spring's observation) would otherwise see the last request's.
   */
  public void clearAttributes() {
    attributes.clear();
  }

  @Override
  public String getScheme() {
    return "http";
  }

  @Override
  public DispatcherType getDispatcherType() {
    return DispatcherType.REQUEST;
  }

  @Override
  public boolean isAsyncStarted() {
    return false;
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }
}
