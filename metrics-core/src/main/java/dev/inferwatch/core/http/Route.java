package dev.inferwatch.core.http;

/**
 * A normalised route: the label value a raw path is recorded under.
 *
 * <p>Instances are cached per raw path by {@link RouteNormalizer}; {@link HttpMetrics} attaches the
 * route's bound series to it on first use, so a cached request costs one map lookup.
 */
public final class Route {

  private final String name;
  private final boolean templated;

  /** Bound series, set by {@link HttpMetrics} when the route is first recorded. */
  volatile Object series;

  Route(String name, boolean templated) {
    this.name = name;
    this.templated = templated;
  }

  /** The route label value, such as {@code /v1/models/{id}}. */
  public String name() {
    return name;
  }

  /**
   * Whether the route is known: from a template, a reserved exact path or the host. Known routes
   * never spend the dynamic budget; an error on a route that is neither known nor admitted yet is
   * recorded as {@code __unmatched__}.
   */
  public boolean templated() {
    return templated;
  }

  @Override
  public String toString() {
    return name;
  }
}
