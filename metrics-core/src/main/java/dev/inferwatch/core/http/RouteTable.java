package dev.inferwatch.core.http;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.events.EventType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The route label values admitted so far, and the rules for admitting more.
 *
 * <ul>
 *   <li>Known routes (templates, reserved exact paths, host-supplied patterns) are admitted for any
 *       status and never spend the dynamic budget; {@value #MAX_KNOWN} of them at most.
 *   <li>A dynamic route (the heuristic's name for a path) is admitted only by a response below 400,
 *       at most {@code maxRoutes} of them; past that it is {@link RouteNormalizer#OVERFLOW}. An
 *       error on a path that is neither known nor admitted is {@link RouteNormalizer#UNMATCHED}.
 *   <li>Admission registers the route's literal segments with {@link RouteFanout}; when a parent
 *       folds, every admitted route beneath it is merged into its {@code {param}} route, which
 *       frees the budget those routes held. The fold is journalled ({@code route_folded}, counted
 *       in {@code inferwatch_events_total}) and logged once.
 * </ul>
 *
 * <p>The hot path is {@link #seriesFor} on a route that already holds its series: one field read
 * and one volatile read; admission runs once per new route, under this table's lock.
 */
final class RouteTable {

  static final int MAX_KNOWN = 1_000;

  private final HttpMetrics metrics;
  private final RouteNormalizer routes;
  private final EventJournal events;
  private final int maxRoutes;
  private final Map<String, RouteSeries> admitted = new ConcurrentHashMap<>();
  private final RouteSeries overflow;
  private final RouteSeries unmatched;
  private int dynamic;
  private int known;

  RouteTable(HttpMetrics metrics, RouteNormalizer routes, EventJournal events) {
    this.metrics = metrics;
    this.routes = routes;
    this.events = events;
    this.maxRoutes = routes.maxRoutes();
    this.overflow = new RouteSeries(metrics, RouteNormalizer.OVERFLOW, true, true);
    this.unmatched = new RouteSeries(metrics, RouteNormalizer.UNMATCHED, false, true);
  }

  /** The series {@code route} records into for a response of {@code status}. */
  RouteSeries seriesFor(Route route, int status) {
    Object bound = route.series;
    if (bound != null) {
      RouteSeries series = (RouteSeries) bound;
      return series.successor == null ? series : follow(route, series);
    }
    RouteSeries series = admitted.get(route.name());
    if (series != null) {
      route.series = series;
      return series;
    }
    if (!route.templated() && status >= 400) {
      return unmatched;
    }
    return admit(route);
  }

  /** Route label values admitted so far, known and dynamic. */
  int size() {
    return admitted.size();
  }

  /** Dynamic route label values admitted so far (the ones {@code maxRoutes} bounds). */
  synchronized int dynamic() {
    return dynamic;
  }

  private static RouteSeries follow(Route route, RouteSeries series) {
    RouteSeries next = series;
    while (next.successor != null) {
      next = next.successor;
    }
    route.series = next;
    return next;
  }

  private synchronized RouteSeries admit(Route route) {
    RouteSeries series;
    if (route.templated()) {
      series = admitted.get(route.name());
      if (series == null) {
        series = known < MAX_KNOWN ? create(route.name(), true) : overflow;
      }
    } else {
      List<String> folds = new ArrayList<>(0);
      String name = routes.fanoutState().admit(route.name(), folds);
      if (!folds.isEmpty()) {
        merge(folds);
      }
      series = admitted.get(name);
      if (series == null) {
        series = dynamic < maxRoutes ? create(name, false) : overflow;
      }
    }
    route.series = series;
    return series;
  }

  private RouteSeries create(String name, boolean isKnown) {
    RouteSeries series = new RouteSeries(metrics, name, false, isKnown);
    admitted.put(name, series);
    if (isKnown) {
      known++;
    } else {
      dynamic++;
    }
    return series;
  }

  /** Merges every admitted dynamic route beneath the newly folded parents into its new name. */
  private void merge(List<String> folds) {
    RouteFanout fanout = routes.fanoutState();
    Map<RouteSeries, String> moves = new LinkedHashMap<>();
    for (RouteSeries series : admitted.values()) {
      if (!series.known) {
        String renamed = fanout.apply(series.route);
        if (!renamed.equals(series.route)) {
          moves.put(series, renamed);
        }
      }
    }
    for (Map.Entry<RouteSeries, String> move : moves.entrySet()) {
      RouteSeries old = move.getKey();
      admitted.remove(old.route);
      dynamic--;
      RouteSeries target = admitted.get(move.getValue());
      old.forwardTo(target != null ? target : create(move.getValue(), false));
      metrics.retire(old.route, old.successor.route);
    }
    routes.forgetDynamic();
    for (String parent : folds) {
      String route = parent + "/" + RouteFanout.PARAM;
      events.emit(
          EventType.ROUTE_FOLDED,
          route,
          "more than "
              + fanout.limit()
              + " distinct children under "
              + (parent.isEmpty() ? "/" : parent)
              + " (INFERWATCH_ROUTE_FANOUT): they are one route now",
          Map.of("parent", parent.isEmpty() ? "/" : parent, "merged", moves.size()));
    }
  }
}
