package dev.inferwatch.core.http;

import dev.inferwatch.core.internal.LabelGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps raw request paths to a bounded set of route labels.
 *
 * <p>In order: explicit templates ({@code /v1/models/{id}}, {@code /static/**}), then a heuristic
 * that replaces id-like segments (digits, UUIDs, hex of 8 or more, long base64-ish tokens,
 * percent-encoded or non-ASCII segments) with {@code {id}}. A trailing slash folds into the route
 * without it ({@code /predict/} is {@code /predict}), for templates, host-set routes and the
 * heuristic alike. {@link HttpMetrics} then admits at most {@link #maxRoutes()} distinct routes and
 * records the rest under {@value #OVERFLOW}; 404s on paths no template matched become {@value
 * #UNMATCHED}, so scanners cannot grow the route set.
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

  /** Default bound on cached raw paths. */
  public static final int DEFAULT_CACHE_SIZE = 10_000;

  static final int MAX_SEGMENTS = 12;
  static final int MAX_SEGMENT_LENGTH = 64;

  private final List<Template> templates;
  private final int maxRoutes;
  private final int cacheSize;
  // Raw path -> route; bounded so a scanner's random paths stop being cached at cacheSize.
  private final Map<String, Route> cache = new ConcurrentHashMap<>();
  // Host-set routes (request attribute), bounded by the same rule.
  private final Map<String, Route> explicit = new ConcurrentHashMap<>();

  private RouteNormalizer(Builder builder) {
    this.templates = List.copyOf(builder.templates);
    this.maxRoutes = builder.maxRoutes;
    this.cacheSize = builder.cacheSize;
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
   * The route for a template the host supplies itself (for example a framework that knows the
   * matched pattern). Such routes count as templated, but still pass the route cap.
   */
  public Route explicit(String template) {
    Route route = explicit.get(template);
    if (route == null) {
      String folded =
          template.length() > 1 && template.endsWith("/")
              ? template.substring(0, template.length() - 1)
              : template;
      String name =
          folded.length() > LabelGuard.MAX_VALUE_LENGTH
              ? folded.substring(0, LabelGuard.MAX_VALUE_LENGTH)
              : folded;
      route = new Route(name, true);
      if (explicit.size() < cacheSize) {
        Route raced = explicit.putIfAbsent(template, route);
        if (raced != null) {
          route = raced;
        }
      }
    }
    return route;
  }

  /** The cap on distinct route label values. */
  public int maxRoutes() {
    return maxRoutes;
  }

  /** How many raw paths are cached; never more than the configured cache size. */
  public int cachedPaths() {
    return cache.size() + explicit.size();
  }

  private Route compute(String path) {
    String clean = stripMatrixParameters(path);
    List<String> segments = split(clean);
    for (Template template : templates) {
      String name = template.match(segments);
      if (name != null) {
        return new Route(name, true);
      }
    }
    return new Route(heuristic(segments), false);
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
    private final List<Template> templates = new ArrayList<>();
    private int maxRoutes = DEFAULT_MAX_ROUTES;
    private int cacheSize = DEFAULT_CACHE_SIZE;

    private Builder() {}

    /**
     * Adds a template: {@code {name}} matches one segment, a trailing {@code **} matches the rest
     * of the path. Templates are tried in the order added.
     */
    public Builder template(String template) {
      templates.add(Template.parse(template));
      return this;
    }

    /** Adds {@code prefix/**}: every path under {@code prefix} is one route. */
    public Builder prefix(String prefix) {
      String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
      return template(p + "/**");
    }

    /** Cap on distinct routes; later ones are recorded as {@value #OVERFLOW}. */
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

  /** One parsed template. */
  private static final class Template {
    private final String text;
    private final String[] parts;
    private final boolean rest;

    private Template(String text, String[] parts, boolean rest) {
      this.text = text;
      this.parts = parts;
      this.rest = rest;
    }

    static Template parse(String text) {
      if (text == null || !text.startsWith("/")) {
        throw new IllegalArgumentException("a route template must start with '/', got " + text);
      }
      List<String> segments = split(text);
      boolean rest = !segments.isEmpty() && segments.get(segments.size() - 1).equals("**");
      if (rest) {
        segments = segments.subList(0, segments.size() - 1);
      }
      for (String s : segments) {
        if (s.contains("**")) {
          throw new IllegalArgumentException("'**' may only end a template, got " + text);
        }
      }
      return new Template(text, segments.toArray(new String[0]), rest);
    }

    String match(List<String> segments) {
      if (rest ? segments.size() < parts.length : segments.size() != parts.length) {
        return null;
      }
      for (int i = 0; i < parts.length; i++) {
        String part = parts[i];
        boolean variable = part.startsWith("{") && part.endsWith("}");
        if (!variable && !part.equals(segments.get(i))) {
          return null;
        }
      }
      return text;
    }
  }
}
