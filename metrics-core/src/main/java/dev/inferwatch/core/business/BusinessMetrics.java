package dev.inferwatch.core.business;

import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.Cardinality;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Domain metrics defined at runtime with one line each: counters, timers and 0/1 flags.
 *
 * <p>Families are created on first use and cached by name, so the same call can sit on a hot path.
 * A definition that fails (an invalid name, a name the host already registered) is counted in
 * {@code inferwatch_internal_errors_total{operation="business.define"}} and yields a no-op handle;
 * label values pass the same cardinality guard as built-in families.
 *
 * <pre>{@code
 * iw.business().counter("orders_total", "Orders placed", "channel").increment("web");
 * try (var t = iw.business().timer("checkout_seconds", "Checkout", "step").start("pay")) {
 *   pay();
 * }
 * iw.business().flag("redis_up", "Redis answers PING").set(redis.ping());
 * }</pre>
 */
public final class BusinessMetrics {

  /** Distinct values each label of a domain family may take before folding. */
  public static final int DEFAULT_LABEL_LIMIT = 100;

  private final Naming names;
  private final PrometheusRegistry registry;
  private final Cardinality cardinality;
  private final InternalErrors errors;
  private final Map<String, Object> families = new ConcurrentHashMap<>();

  /** Registers the families; built by {@code Inferwatch}, not by applications. */
  public BusinessMetrics(
      Naming names, PrometheusRegistry registry, Cardinality cardinality, InternalErrors errors) {
    this.names = names;
    this.registry = registry;
    this.cardinality = cardinality;
    this.errors = errors;
  }

  /** The counter {@code name} (created on first call), labelled by {@code labelNames}. */
  public DomainCounter counter(String name, String help, String... labelNames) {
    return lookup(
        name,
        DomainCounter.class,
        () -> {
          Counter counter =
              Counter.builder()
                  .name(names.name(name))
                  .help(help)
                  .labelNames(labelNames)
                  .constLabels(names.constLabels())
                  .register(registry);
          return new GuardedCounter(counter, guards(name, labelNames.length), errors);
        },
        NoopDomainCounter.INSTANCE);
  }

  /** The timer {@code name}: a seconds histogram with the HTTP buckets. */
  public DomainTimer timer(String name, String help, String... labelNames) {
    return lookup(
        name,
        DomainTimer.class,
        () -> {
          Histogram histogram =
              Histogram.builder()
                  .name(names.name(name))
                  .help(help)
                  .labelNames(labelNames)
                  .classicUpperBounds(Buckets.HTTP_SECONDS)
                  .constLabels(names.constLabels())
                  .register(registry);
          return new GuardedTimer(histogram, guards(name, labelNames.length), errors);
        },
        NoopDomainTimer.INSTANCE);
  }

  /** The 0/1 gauge {@code name}, such as {@code redis_up}. */
  public DomainFlag flag(String name, String help) {
    return lookup(
        name,
        DomainFlag.class,
        () -> {
          Gauge gauge =
              Gauge.builder()
                  .name(names.name(name))
                  .help(help)
                  .constLabels(names.constLabels())
                  .register(registry);
          return new GaugeFlag(gauge, errors);
        },
        NoopDomainFlag.INSTANCE);
  }

  /** The names (without namespace) of the families defined so far. */
  public Set<String> definedNames() {
    return Set.copyOf(families.keySet());
  }

  private LabelGuard[] guards(String family, int count) {
    LabelGuard[] guards = new LabelGuard[count];
    for (int i = 0; i < count; i++) {
      guards[i] = cardinality.guard(family, DEFAULT_LABEL_LIMIT);
    }
    return guards;
  }

  private <T> T lookup(String name, Class<T> type, Definition<T> definition, T noop) {
    try {
      Object existing = families.get(name);
      if (existing == null) {
        existing = families.computeIfAbsent(name, n -> definition.define());
      }
      if (!type.isInstance(existing)) {
        throw new IllegalArgumentException(
            "business metric '" + name + "' is already defined as another type");
      }
      return type.cast(existing);
    } catch (RuntimeException e) {
      errors.record("business.define", e);
      return noop;
    }
  }

  @FunctionalInterface
  private interface Definition<T> {
    T define();
  }
}
