package dev.inferwatch.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;

/**
 * The route a framework or the container already matched for a request, read when it completes:
 * Spring MVC's best-matching pattern ({@code /products/{slug}}), else the servlet mapping when the
 * container matched it exactly ({@code /reports/2025}). Read by attribute name, so the servlet pack
 * needs no Spring class.
 */
final class MatchedRoute {

  /** {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}, set by Spring MVC during dispatch. */
  static final String SPRING_PATTERN =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /**
   * The pattern of Spring's resource handler, which also answers every path nothing else maps (404s
   * included): it names no route, so the normaliser decides.
   */
  private static final String CATCH_ALL = "/**";

  private MatchedRoute() {}

  /** The matched template, or {@code null} when neither the framework nor the container knows. */
  static String of(HttpServletRequest request) {
    Object pattern = request.getAttribute(SPRING_PATTERN);
    if (pattern != null) {
      return framework(request, pattern.toString());
    }
    HttpServletMapping mapping = mapping(request);
    if (mapping != null && mapping.getMappingMatch() == MappingMatch.EXACT) {
      return mapping.getPattern();
    }
    return null;
  }

  /**
   * Spring's pattern is relative to the dispatcher servlet: under a path mapping ({@code /api/*})
   * the servlet path is put in front, so the route names the path a client called.
   */
  private static String framework(HttpServletRequest request, String pattern) {
    if (pattern.equals(CATCH_ALL)) {
      return null;
    }
    String template = pattern.isEmpty() || pattern.charAt(0) != '/' ? "/" + pattern : pattern;
    HttpServletMapping mapping = mapping(request);
    if (mapping != null && mapping.getMappingMatch() == MappingMatch.PATH) {
      String servletPath = request.getServletPath();
      if (servletPath != null && !servletPath.isEmpty()) {
        return template.equals("/") ? servletPath : servletPath + template;
      }
    }
    return template;
  }

  private static HttpServletMapping mapping(HttpServletRequest request) {
    try {
      return request.getHttpServletMapping();
    } catch (RuntimeException | AbstractMethodError e) {
      // A request wrapper from before Servlet 4 does not implement it: no mapping to read.
      return null;
    }
  }
}
