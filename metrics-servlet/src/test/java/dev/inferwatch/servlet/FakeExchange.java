package dev.inferwatch.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;

/**
 * Minimal request/response stand-ins for driving the filter directly at volumes real HTTP would
 * make slow (10⁵ paths); container behaviour itself is covered by the Jetty and Tomcat tests.
 */
final class FakeExchange {

  private FakeExchange() {}

  static HttpServletRequest request(String method, String uri) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            FakeExchange.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, m, args) -> {
              switch (m.getName()) {
                case "getRequestURI":
                  return uri;
                case "getContextPath":
                  return "";
                case "getMethod":
                  return method;
                case "getDispatcherType":
                  return DispatcherType.REQUEST;
                case "isAsyncStarted":
                  return false;
                default:
                  return null;
              }
            });
  }

  static HttpServletResponse response(int status) {
    return (HttpServletResponse)
        Proxy.newProxyInstance(
            FakeExchange.class.getClassLoader(),
            new Class<?>[] {HttpServletResponse.class},
            (proxy, m, args) -> {
              switch (m.getName()) {
                case "getStatus":
                  return status;
                case "isCommitted":
                  return true;
                default:
                  return null;
              }
            });
  }
}
