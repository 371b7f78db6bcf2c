package dev.inferwatch.servlet;

import static dev.inferwatch.core.PredictionOutcome.ERROR;
import static dev.inferwatch.core.PredictionOutcome.REJECTED;
import static dev.inferwatch.core.PredictionOutcome.TIMEOUT;

import dev.inferwatch.core.Event;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.InferwatchModule;
import dev.inferwatch.core.PredictionOutcome;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The {@code /metrics.json} snapshot: built from one registry scrape by family name, so families
 * contributed by features merged later (chat, models, health, GPU) appear without code here.
 */
final class MetricsSummary {

  static final int TOP_ROUTES = 20;
  static final int RECENT_EVENTS = 50;

  private final Inferwatch iw;
  private final Map<String, MetricSnapshot> families = new HashMap<>();

  private MetricsSummary(Inferwatch iw, MetricSnapshots snapshots) {
    this.iw = iw;
    for (MetricSnapshot snapshot : snapshots) {
      families.put(MetricCategory.exposedName(snapshot), snapshot);
    }
  }

  /** The snapshot of {@code iw} now, as JSON-ready maps and lists. */
  static Map<String, Object> of(Inferwatch iw) {
    return new MetricsSummary(iw, iw.registry().scrape()).build();
  }

  private Map<String, Object> build() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("service", iw.service());
    root.put("env", iw.environment());
    root.put("version", version());
    root.put("timestamp", Instant.now().toString());
    root.put("uptime_seconds", iw.uptime().toMillis() / 1000.0);
    root.put("http", http());
    root.put("providers", providers());
    root.put("llm", llm());
    root.put("models", models());
    Map<String, Object> health = health();
    if (health != null) {
      root.put("health", health);
    }
    root.put("gpu", gpu());
    List<Map<String, Object>> events = new ArrayList<>();
    for (Event event : iw.events().recent(RECENT_EVENTS)) {
      events.add(event.toMap());
    }
    root.put("events", events);
    root.put("internal_errors_total", sum("inferwatch_internal_errors_total", p -> true));
    return root;
  }

  private Map<String, Object> http() {
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("requests_total", sum("http_server_requests_total", p -> true));
    Map<String, Object> byClass = new LinkedHashMap<>();
    for (int c = 1; c <= 5; c++) {
      String prefix = Integer.toString(c);
      byClass.put(
          c + "xx", sum("http_server_requests_total", p -> label(p, "status").startsWith(prefix)));
    }
    http.put("by_status_class", byClass);
    http.put("active_requests", sum("http_server_active_requests", p -> true));
    http.put("duration_seconds", histogram("http_server_request_duration_seconds", p -> true));
    Map<String, double[]> routes = new HashMap<>();
    for (DataPointSnapshot p : points("http_server_requests_total")) {
      routes.computeIfAbsent(label(p, "route"), r -> new double[2])[0] += value(p);
    }
    for (DataPointSnapshot p : points("http_server_errors_total")) {
      routes.computeIfAbsent(label(p, "route"), r -> new double[2])[1] += value(p);
    }
    List<Map.Entry<String, double[]>> sorted = new ArrayList<>(routes.entrySet());
    sorted.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
    List<Map<String, Object>> top = new ArrayList<>();
    for (Map.Entry<String, double[]> e : sorted.subList(0, Math.min(TOP_ROUTES, sorted.size()))) {
      Map<String, Object> route = new LinkedHashMap<>();
      route.put("route", e.getKey());
      route.put("requests_total", e.getValue()[0]);
      route.put("errors_total", e.getValue()[1]);
      top.add(route);
    }
    http.put("routes", top);
    return http;
  }

  private List<Map<String, Object>> providers() {
    TreeSet<String> names = new TreeSet<>();
    for (String family :
        new String[] {
          "provider_requests_total",
          "provider_response_time_seconds",
          "provider_health_score",
          "provider_circuit_breaker_state",
          "provider_cost_usd_total"
        }) {
      for (DataPointSnapshot p : points(family)) {
        names.add(label(p, "provider"));
      }
    }
    List<Map<String, Object>> providers = new ArrayList<>();
    for (String name : names) {
      Predicate<DataPointSnapshot> mine = p -> name.equals(label(p, "provider"));
      Map<String, Object> provider = new LinkedHashMap<>();
      provider.put("provider", name);
      Map<String, Double> outcomes = new TreeMap<>();
      for (DataPointSnapshot p : points("provider_requests_total")) {
        if (mine.test(p)) {
          outcomes.merge(label(p, "outcome"), value(p), Double::sum);
        }
      }
      provider.put("outcomes", outcomes);
      provider.put("requests_total", sum("provider_requests_total", mine));
      provider.put("health_score", first("provider_health_score", mine));
      provider.put("circuit_state", trueState("provider_circuit_breaker_state", mine));
      provider.put("cost_usd", sum("provider_cost_usd_total", mine));
      Map<String, Object> time = histogram("provider_response_time_seconds", mine);
      time.remove("p50");
      time.remove("p99");
      provider.put("response_time_seconds", time);
      provider.put("last_error", iw.events().lastError(name).map(this::lastError).orElse(null));
      providers.add(provider);
    }
    return providers;
  }

  private Map<String, Object> lastError(Event event) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("time", event.time().toString());
    error.put("message", event.message());
    error.put("outcome", event.fields().getOrDefault("outcome", event.type().label()));
    return error;
  }

  private Map<String, Object> llm() {
    Map<String, Object> llm = new LinkedHashMap<>();
    llm.put("streams_active", sum("gen_ai_server_streams_active", p -> true));
    llm.put("requests_total", sum("gen_ai_server_requests_total", p -> true));
    Map<String, Object> ttft = histogram("gen_ai_server_time_to_first_token_seconds", p -> true);
    ttft.remove("p50");
    ttft.remove("p99");
    llm.put("ttft_seconds", ttft);
    Map<String, Object> tokens = new LinkedHashMap<>();
    for (String type : new String[] {"input", "output"}) {
      double total = 0;
      for (DataPointSnapshot p : points("gen_ai_client_token_usage")) {
        if (type.equals(label(p, "token_type"))) {
          total += ((HistogramSnapshot.HistogramDataPointSnapshot) p).getSum();
        }
      }
      tokens.put(type, total);
    }
    llm.put("tokens", tokens);
    return llm;
  }

  private List<Map<String, Object>> models() {
    TreeSet<String> names = new TreeSet<>();
    for (String family : new String[] {"model_predictions_total", "model_state"}) {
      for (DataPointSnapshot p : points(family)) {
        names.add(label(p, "model"));
      }
    }
    List<Map<String, Object>> models = new ArrayList<>();
    for (String name : names) {
      Predicate<DataPointSnapshot> mine = p -> name.equals(label(p, "model"));
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("model", name);
      model.put("state", trueState("model_state", mine));
      model.put("predictions_total", sum("model_predictions_total", mine));
      // Rejected requests are the client's bad input, not the model failing: kept apart.
      model.put(
          "errors_total",
          sum("model_predictions_total", mine.and(outcome(ERROR).or(outcome(TIMEOUT)))));
      model.put("rejected_total", sum("model_predictions_total", mine.and(outcome(REJECTED))));
      models.add(model);
    }
    return models;
  }

  private Map<String, Object> health() {
    // Read from the last probe run rather than running checks: a summary must never wait on one.
    List<DataPointSnapshot> checks = points("health_check_up");
    if (checks.isEmpty()) {
      return null;
    }
    Map<String, Object> byCheck = new TreeMap<>();
    boolean up = true;
    for (DataPointSnapshot p : checks) {
      boolean checkUp = value(p) >= 1;
      up &= checkUp;
      String check = label(p, "check");
      if (!checkUp || !byCheck.containsKey(check)) {
        byCheck.put(check, checkUp ? "UP" : "DOWN");
      }
    }
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("status", up ? "UP" : "DOWN");
    health.put("checks", byCheck);
    return health;
  }

  private Object gpu() {
    Optional<InferwatchModule> module = iw.module("gpu");
    if (module.isPresent()) {
      try {
        return module.get().status();
      } catch (RuntimeException e) {
        iw.internalErrors().record("summary.gpu", e);
      }
    }
    return Map.of("available", false);
  }

  private static Predicate<DataPointSnapshot> outcome(PredictionOutcome outcome) {
    return p -> outcome.label().equals(label(p, "outcome"));
  }

  private Map<String, Object> histogram(String family, Predicate<DataPointSnapshot> filter) {
    HistogramStats stats = new HistogramStats();
    for (DataPointSnapshot p : points(family)) {
      if (filter.test(p) && p instanceof HistogramSnapshot.HistogramDataPointSnapshot) {
        stats.add((HistogramSnapshot.HistogramDataPointSnapshot) p);
      }
    }
    return stats.toMap(true);
  }

  private double sum(String family, Predicate<DataPointSnapshot> filter) {
    double total = 0;
    for (DataPointSnapshot p : points(family)) {
      if (filter.test(p)) {
        total += value(p);
      }
    }
    return total;
  }

  private Double first(String family, Predicate<DataPointSnapshot> filter) {
    for (DataPointSnapshot p : points(family)) {
      if (filter.test(p)) {
        return value(p);
      }
    }
    return null;
  }

  private String trueState(String family, Predicate<DataPointSnapshot> filter) {
    for (DataPointSnapshot p : points(family)) {
      if (filter.test(p) && p instanceof StateSetSnapshot.StateSetDataPointSnapshot) {
        StateSetSnapshot.StateSetDataPointSnapshot states =
            (StateSetSnapshot.StateSetDataPointSnapshot) p;
        for (int i = 0; i < states.size(); i++) {
          if (states.isTrue(i)) {
            return states.getName(i);
          }
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private List<DataPointSnapshot> points(String family) {
    MetricSnapshot snapshot = families.get(name(family));
    return snapshot == null ? List.of() : (List<DataPointSnapshot>) snapshot.getDataPoints();
  }

  private String name(String base) {
    return iw.metricName(base);
  }

  private static String label(DataPointSnapshot point, String name) {
    String value = point.getLabels().get(name);
    return value == null ? "" : value;
  }

  private static double value(DataPointSnapshot point) {
    if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
      return ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
    }
    if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
      return ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
    }
    if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot) {
      return ((HistogramSnapshot.HistogramDataPointSnapshot) point).getCount();
    }
    return 0;
  }

  private static String version() {
    String version = Inferwatch.class.getPackage().getImplementationVersion();
    return version != null ? version : "0.1.0-SNAPSHOT";
  }
}
