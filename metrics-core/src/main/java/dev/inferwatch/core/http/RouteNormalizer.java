package dev.inferwatch.core.http;

import dev.inferwatch.core.internal.LabelGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps raw request paths to a bounded set of route labels.
 *
 * <p>In order: explicit templates ({@code /v1/models/{id}}, {@code /static/**}), then reserved
 * exact paths ({@link #reserve}: the kit's own endpoints, the application's exact servlet
 * mappings), then a heuristic that replaces id-like segments (digits, UUIDs, hex of 8 or more, long
 * base64-ish tokens, percent-encoded or non-ASCII segments) with {@code {id}}, and folds the
 * children of a parent with more than {@link #fanout()} distinct literal children into {@code
 * {param}}. A trailing slash folds into the route without it ({@code /predict/} is {@code
 * /predict}), for templates, reserved paths, host-set routes and the heuristic alike.
 *
 * <p>Templates, reserved paths and host-supplied routes ({@link #explicit}) are <em>known</em>:
 * they never spend the budget of dynamic routes. {@link HttpMetrics} admits a new dynamic route
 * only for a response below 400 and at most {@link #maxRoutes()} of them, recording the rest under
 * {@value #OVERFLOW}; an error on a path no known or admitted route covers is {@value #UNMATCHED},
 * so neither scanners nor a wildcard mapping that answers anything can fill the route table.
 *
 * <pre>{@code
 * RouteNormalizer routes = RouteNormalizer.builder()
 *     .template("/v1/models/{id}")
 *     .template("/assets/**")
 *     .maxRoutes(200)
 *     .build();
 * routes.normalize("/users/42/orders").name(); // "/users/{id}/orders"
 * }</pre>
 */
public final class RouteNormalizer {

  /** The route of requests past the route cap. */
  public static final String OVERFLOW = "__overflow__";

  /** The route of 404 responses on paths no template matched. */
  public static final String UNMATCHED = "__unmatched__";

  /**
   * Route of requests the container refused before any filter saw them (bad percent-encoding, an
   * ambiguous path), recorded by the optional container adapters.
   */
  public static final String REJECTED = "__rejected__";

  /** Default cap on distinct routes. */
  public static final int DEFAULT_MAX_ROUTES = 200;

  /** Default number of distinct literal children a parent keeps before they fold. */
  public static final int DEFAULT_FANOUT = 20;

  /** Bound on reserved exact paths. */
  static final int MAX_RESERVED = 1_000;

  /** Default bound on cached raw paths. */
  public static final int DEFAULT_CACHE_SIZE = 10_000;

  static final int MAX_SEGMENTS = 12;
  static final int MAX_SEGMENT_LENGTH = 64;

  private final List<RouteTemplate> templates;
  private final int maxRoutes;
  private final int cacheSize;
  // Raw path -> route; bounded so a scanner's random paths stop being cached at cacheSize.
  private final Map<String, Route> cache = new ConcurrentHashMap<>();
  // Host-set routes (request attribute), bounded by the same rule.
  private final Map<String, Route> explicit = new ConcurrentHashMap<>();
  // Exact paths known up front: the kit's endpoints and the application's exact mappings.
  private final Map<String, Route> reserved = new ConcurrentHashMap<>();
  private final RouteFanout fanout;

  private RouteNormalizer(Builder builder) {
    this.templates = List.copyOf(builder.templates);
    this.maxRoutes = builder.maxRoutes;
    this.cacheSize = builder.cacheSize;
    this.fanout = new RouteFanout(builder.fanout);
  }

  /** A builder with the defaults: no templates, {@value #DEFAULT_MAX_ROUTES} routes. */
  public static Builder builder() {
    return new Builder();
  }

  /** The route for a raw request path (context path already removed); never throws. */
  public Route normalize(String path) {
    String key = path == null ? "" : path;
    Route route = cache.get(key);
    if (route == null) {
      route = compute(key);
      if (cache.size() < cacheSize) {
        Route raced = cache.putIfAbsent(key, route);
        if (raced != null) {
          route = raced;
        }
      }
    }
    return route;
  }

  /**
   * The route for a template the host supplies itself: a framework's matched pattern (Spring MVC's
   * best-matching pattern), the container's exact servlet mapping, {@link
   * dev.inferwatch.core.Inferwatch#ROUTE_ATTRIBUTE}. Such routes are known: they never spend the
   * dynamic budget and are never folded (a hard bound of 1,000 known routes still applies).
   */
  public Route explicit(String template) {
    Route route = explicit.get(template);
    if (route == null) {
      String folded =
          template.length() > 1 && template.endsWith("/")
              ? template.substring(0, template.length() - 1)
              : template;
      route = new Route(explicitName(folded), true);
      if (explicit.size() < cacheSize) {
        Route raced = explicit.putIfAbsent(template, route);
        if (raced != null) {
          route = raced;
        }
      }
    }
    return route;
  }

  /**
   * Reserves the exact path {@code path} (such as {@code /predict}) as a known route: requests to
   * it are recorded under it without spending the dynamic budget. Filters call this at start-up for
   * the kit's own endpoints and the application's exact servlet mappings; a path containing {@code
   * *} or beyond 1,000 reservations is ignored.
   */
  public void reserve(String path) {
    if (path == null
        || !path.startsWith("/")
        || path.indexOf('*') >= 0
        || reserved.size() >= MAX_RESERVED) {
      return;
    }
    reserved.computeIfAbsent(path, p -> new Route(explicitName(p), true));
    cache.remove(path);
  }

  /** The cap on distinct dynamic route label values. */
  public int maxRoutes() {
    return maxRoutes;
  }

  /** Distinct literal children a parent keeps before its children fold into {@code {param}}. */
  public int fanout() {
    return fanout.limit();
  }

  RouteFanout fanoutState() {
    return fanout;
  }

  /** Drops cached dynamic routes, so that lookups see a fold that just happened. */
  void forgetDynamic() {
    cache.values().removeIf(route -> !route.templated());
  }

  /** How many raw paths are cached; never more than the configured cache size. */
  public int cachedPaths() {
    return cache.size() + explicit.size();
  }

  private static String explicitName(String template) {
    return template.length() > LabelGuard.MAX_VALUE_LENGTH
        ? template.substring(0, LabelGuard.MAX_VALUE_LENGTH)
        : template;
  }

  private Route compute(String path) {
    String clean = stripMatrixParameters(path);
    List<String> segments = split(clean);
    for (RouteTemplate template : templates) {
      String name = template.match(segments);
      if (name != null) {
        return new Route(name, true);
      }
    }
    Route exact =
        reserved.get(
            clean.length() > 1 && clean.endsWith("/")
                ? clean.substring(0, clean.length() - 1)
                : clean);
    if (exact != null) {
      return exact;
    }
    return new Route(fanout.apply(heuristic(segments)), false);
  }

  /** Drops {@code ;jsessionid=...} style parameters from every segment. */
  private static String stripMatrixParameters(String path) {
    int semicolon = path.indexOf(';');
    if (semicolon < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    int i = 0;
    while (semicolon >= 0) {
      out.append(path, i, semicolon);
      int slash = path.indexOf('/', semicolon);
      if (slash < 0) {
        return out.toString();
      }
      i = slash;
      semicolon = path.indexOf(';', i);
    }
    return out.append(path, i, path.length()).toString();
  }

  static List<String> split(String path) {
    List<String> segments = new ArrayList<>();
    int start = 0;
    int length = path.length();
    while (start <= length) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? length : slash;
      if (end > start) {
        segments.add(path.substring(start, end));
      }
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return segments;
  }

  private static String heuristic(List<String> segments) {
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder route = new StringBuilder();
    int count = Math.min(segments.size(), MAX_SEGMENTS);
    for (int i = 0; i < count; i++) {
      String segment = segments.get(i);
      route.append('/');
      if (segment.equals(".") || segment.equals("..")) {
        route.append("{dot}");
      } else if (isIdLike(segment)) {
        route.append("{id}");
      } else {
        route.append(segment);
      }
    }
    if (segments.size() > MAX_SEGMENTS) {
      route.append("/**");
    }
    return route.toString();
  }

  /** Digits, UUIDs, hex of 8+, base64-ish tokens of 16+, and anything encoded or over-long. */
  static boolean isIdLike(String segment) {
    int length = segment.length();
    if (length > MAX_SEGMENT_LENGTH) {
      return true;
    }
    int digits = 0;
    int letters = 0;
    int hex = 0;
    int other = 0;
    for (int i = 0; i < length; i++) {
      char c = segment.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        hex++;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        letters++;
        hex++;
      } else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
        letters++;
      } else if (c == '%' || c > 0x7e || c < 0x20) {
        return true;
      } else {
        other++;
      }
    }
    if (digits == length) {
      return true;
    }
    if (isUuid(segment)) {
      return true;
    }
    if (hex == length && length >= 8 && digits > 0) {
      return true;
    }
    boolean base64ish = other <= 2 && length >= 16 && digits > 0 && letters > 0;
    if (base64ish) {
      return true;
    }
    // Mostly-numeric tokens such as "v2-000123-abc" or "order_98231".
    return digits >= 4 && digits >= letters;
  }

  private static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Configures a {@link RouteNormalizer}. */
  public static final class Builder {
    private final List<RouteTemplate> templates = new ArrayList<>();
    private int maxRoutes = DEFAULT_MAX_ROUTES;
    private int fanout = DEFAULT_FANOUT;
    private int cacheSize = DEFAULT_CACHE_SIZE;

    private Builder() {}

    /**
     * Adds a template: {@code {name}} matches one segment, a trailing {@code **} matches the rest
     * of the path. Templates are tried in the order added.
     */
    public Builder template(String template) {
      templates.add(RouteTemplate.parse(template));
      return this;
    }

    /** Adds {@code prefix/**}: every path under {@code prefix} is one route. */
    public Builder prefix(String prefix) {
      String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
      return template(p + "/**");
    }

    /**
     * Distinct literal children a parent ({@code /users}) keeps before its children, earlier ones
     * included, become one route ({@code /users/{param}}); default {@value #DEFAULT_FANOUT}.
     */
    public Builder fanout(int fanout) {
      if (fanout < 1) {
        throw new IllegalArgumentException("fanout must be at least 1, got " + fanout);
      }
      this.fanout = fanout;
      return this;
    }

    /** Cap on distinct dynamic routes; later ones are recorded as {@value #OVERFLOW}. */
    public Builder maxRoutes(int maxRoutes) {
      if (maxRoutes < 1) {
        throw new IllegalArgumentException("maxRoutes must be at least 1, got " + maxRoutes);
      }
      this.maxRoutes = maxRoutes;
      return this;
    }

    /** Bound on cached raw paths; uncached paths are normalised on every request. */
    public Builder cacheSize(int cacheSize) {
      if (cacheSize < 0) {
        throw new IllegalArgumentException("cacheSize must not be negative, got " + cacheSize);
      }
      this.cacheSize = cacheSize;
      return this;
    }

    /** The normaliser. */
    public RouteNormalizer build() {
      return new RouteNormalizer(this);
    }
  }
}
