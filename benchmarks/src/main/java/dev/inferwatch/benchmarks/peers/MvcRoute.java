package dev.inferwatch.benchmarks.peers;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * What Spring MVC does with the pattern of the handler it matched, done by the benchmark's
 * endpoints so every peer sees the route a Spring app would give it. Spring MVC's {@code
 * RequestMappingInfoHandlerMapping.handleMatch} (spring-webmvc 7.0) stores the pattern in the
 * request attribute {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE} and pushes it into the
 * observation context that {@link ServerHttpObservationFilter} published on the request; the {@code
 * uri} tag of {@code http.server.requests} comes from that context ({@code
 * DefaultServerRequestObservationConvention}: no pattern gives {@code UNKNOWN}). The OpenTelemetry
 * peer reads the attribute, as OTel's Spring MVC instrumentation takes {@code http.route} from the
 * handler mapping.
 *
 * <pre>{@code
 * MvcRoute.matched(request, "/v1/models/{id}");
 * }</pre>
 */
public final class MvcRoute {

  /**
   * {@code org.springframework.web.servlet.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}, by
   * value: spring-webmvc is not on the benchmark's class path, only spring-web.
   */
  public static final String BEST_MATCHING_PATTERN_ATTRIBUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private MvcRoute() {}

  /** Records {@code pattern} as the matched route of {@code request}, as Spring MVC does. */
  public static void matched(HttpServletRequest request, String pattern) {
    request.setAttribute(BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
    Object context =
        request.getAttribute(ServerHttpObservationFilter.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE);
    if (context
        instanceof org.springframework.http.server.observation.ServerRequestObservationContext c) {
      c.setPathPattern(pattern);
    }
  }

  /** The route a handler recorded with {@link #matched}, or {@code null}. */
  public static String of(HttpServletRequest request) {
    Object pattern = request.getAttribute(BEST_MATCHING_PATTERN_ATTRIBUTE);
    return pattern instanceof String s ? s : null;
  }
}
