package dev.inferwatch.servlet.scrape;

import static dev.inferwatch.core.internal.Snapshots.label;
import static dev.inferwatch.core.internal.Snapshots.value;
import static dev.inferwatch.core.models.PredictionOutcome.ERROR;
import static dev.inferwatch.core.models.PredictionOutcome.REJECTED;
import static dev.inferwatch.core.models.PredictionOutcome.TIMEOUT;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.InferwatchModule;
import dev.inferwatch.core.Version;
import dev.inferwatch.core.events.Event;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.models.PredictionOutcome;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
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
  private final double historySince;
  private final Map<String, MetricSnapshot> families = new HashMap<>();

  private MetricsSummary(Inferwatch iw, MetricSnapshots snapshots, double historySince) {
    this.iw = iw;
    this.historySince = historySince;
    for (MetricSnapshot snapshot : snapshots) {
      families.put(MetricCategory.exposedName(snapshot), snapshot);
    }
  }

  /** The snapshot of {@code iw} now, as JSON-ready maps and lists, with its whole history. */
  static Map<String, Object> of(Inferwatch iw) {
    return of(iw, Double.NEGATIVE_INFINITY);
  }

  /** The same, with only the history points newer than {@code historySince} (Unix seconds). */
  static Map<String, Object> of(Inferwatch iw, double historySince) {
    return new MetricsSummary(iw, iw.registry().scrape(), historySince).build();
  }

  private Map<String, Object> build() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("service", iw.service());
    root.put("env", iw.environment());
    root.put("version", iw.version());
    root.put("inferwatch_version", Version.kit());
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
    root.put("internal_errors_total", sum(MetricNames.INTERNAL_ERRORS, p -> true));
    root.put("history", iw.history().toMap(historySince));
    return root;
  }

  private Map<String, Object> http() {
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("requests_total", sum(MetricNames.HTTP_REQUESTS, p -> true));
    Map<String, Object> byClass = new LinkedHashMap<>();
    for (int c = 1; c <= 5; c++) {
      String prefix = Integer.toString(c);
      byClass.put(
          c + "xx", sum(MetricNames.HTTP_REQUESTS, p -> label(p, "status").startsWith(prefix)));
    }
    http.put("by_status_class", byClass);
    http.put("active_requests", sum(MetricNames.HTTP_ACTIVE, p -> true));
    http.put("duration_seconds", histogram(MetricNames.HTTP_DURATION, p -> true));
    Map<String, double[]> routes = new HashMap<>();
    for (DataPointSnapshot p : points(MetricNames.HTTP_REQUESTS)) {
      routes.computeIfAbsent(label(p, "route"), r -> new double[2])[0] += value(p);
    }
    for (DataPointSnapshot p : points(MetricNames.HTTP_ERRORS)) {
      routes.computeIfAbsent(label(p, "route"), r -> new double[2])[1] += value(p);
    }
    Map<String, HistogramStats> durations = new HashMap<>();
    for (DataPointSnapshot p : points(MetricNames.HTTP_DURATION)) {
      if (p instanceof HistogramSnapshot.HistogramDataPointSnapshot point) {
        durations.computeIfAbsent(label(p, "route"), r -> new HistogramStats()).add(point);
      }
    }
    List<Map.Entry<String, double[]>> sorted = new ArrayList<>(routes.entrySet());
    sorted.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
    List<Map<String, Object>> top = new ArrayList<>();
    for (Map.Entry<String, double[]> e : sorted.subList(0, Math.min(TOP_ROUTES, sorted.size()))) {
      Map<String, Object> route = new LinkedHashMap<>();
      route.put("route", e.getKey());
      route.put("requests_total", e.getValue()[0]);
      route.put("errors_total", e.getValue()[1]);
      HistogramStats duration = durations.get(e.getKey());
      route.put("p95_seconds", duration == null ? null : duration.quantile(0.95));
      top.add(route);
    }
    http.put("routes", top);
    return http;
  }

  private List<Map<String, Object>> providers() {
    TreeSet<String> names = new TreeSet<>();
    for (String family :
        new String[] {
          MetricNames.PROVIDER_REQUESTS,
          MetricNames.PROVIDER_RESPONSE_TIME,
          MetricNames.PROVIDER_HEALTH,
          MetricNames.PROVIDER_CIRCUIT,
          MetricNames.PROVIDER_COST
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
      for (DataPointSnapshot p : points(MetricNames.PROVIDER_REQUESTS)) {
        if (mine.test(p)) {
          outcomes.merge(label(p, "outcome"), value(p), Double::sum);
        }
      }
      provider.put("outcomes", outcomes);
      provider.put("requests_total", sum(MetricNames.PROVIDER_REQUESTS, mine));
      provider.put("health_score", first(MetricNames.PROVIDER_HEALTH, mine));
      provider.put("circuit_state", trueState(MetricNames.PROVIDER_CIRCUIT, mine));
      provider.put("cost_usd", sum(MetricNames.PROVIDER_COST, mine));
      Map<String, Object> time = histogram(MetricNames.PROVIDER_RESPONSE_TIME, mine);
      time.keySet().removeAll(List.of("p50", "p90", "p99"));
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
    // HTTP status or error class, and whether a retry may succeed, when the host said (seed 004).
    error.put("status", event.fields().get("status"));
    error.put("retryable", event.fields().get("retryable"));
    Object requestId = event.fields().get(Event.REQUEST_ID);
    if (requestId != null) {
      error.put("request_id", requestId);
    }
    return error;
  }

  private Map<String, Object> llm() {
    Map<String, Object> llm = new LinkedHashMap<>();
    llm.put("streams_active", sum(MetricNames.GEN_AI_STREAMS_ACTIVE, p -> true));
    llm.put("requests_running", sum(MetricNames.GEN_AI_RUNNING, p -> true));
    llm.put("requests_waiting", sum(MetricNames.GEN_AI_WAITING, p -> true));
    llm.put("requests_total", sum(MetricNames.GEN_AI_SERVER_REQUESTS, p -> true));
    Map<String, Object> ttft = histogram(MetricNames.GEN_AI_TTFT, p -> true);
    ttft.keySet().removeAll(List.of("p50", "p90", "p99"));
    llm.put("ttft_seconds", ttft);
    // Served tokens; a gateway's calls to providers are apart, under provider_tokens.
    llm.put("tokens", tokens(MetricNames.GEN_AI_SERVER_TOKENS));
    llm.put("provider_tokens", tokens(MetricNames.GEN_AI_CLIENT_TOKENS));
    return llm;
  }

  private Map<String, Object> tokens(String family) {
    Map<String, Object> tokens = new LinkedHashMap<>();
    for (String type : new String[] {"input", "output", "cache_read", "reasoning"}) {
      double total = 0;
      for (DataPointSnapshot p : points(family)) {
        if (type.equals(label(p, "token_type"))) {
          total += ((HistogramSnapshot.HistogramDataPointSnapshot) p).getSum();
        }
      }
      tokens.put(type, total);
    }
    return tokens;
  }

  private List<Map<String, Object>> models() {
    TreeSet<String> names = new TreeSet<>();
    for (String family : new String[] {MetricNames.PREDICTIONS, MetricNames.MODEL_STATE}) {
      for (DataPointSnapshot p : points(family)) {
        names.add(label(p, "model"));
      }
    }
    List<Map<String, Object>> models = new ArrayList<>();
    for (String name : names) {
      Predicate<DataPointSnapshot> mine = p -> name.equals(label(p, "model"));
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("model", name);
      model.put("state", trueState(MetricNames.MODEL_STATE, mine));
      model.put("predictions_total", sum(MetricNames.PREDICTIONS, mine));
      // Rejected requests are the client's bad input, not the model failing: kept apart.
      model.put(
          "errors_total",
          sum(MetricNames.PREDICTIONS, mine.and(outcome(ERROR).or(outcome(TIMEOUT)))));
      model.put("rejected_total", sum(MetricNames.PREDICTIONS, mine.and(outcome(REJECTED))));
      models.add(model);
    }
    return models;
  }

  private Map<String, Object> health() {
    // Read from the last probe run rather than running checks: a summary must never wait on one.
    List<DataPointSnapshot> checks = points(MetricNames.HEALTH_CHECK_UP);
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
      if (filter.test(p) && p instanceof HistogramSnapshot.HistogramDataPointSnapshot point) {
        stats.add(point);
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
      if (filter.test(p) && p instanceof StateSetSnapshot.StateSetDataPointSnapshot states) {
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
}
