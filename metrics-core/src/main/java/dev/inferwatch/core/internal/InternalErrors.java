package dev.inferwatch.core.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Inferwatch puts failures of its own, so that they never reach the host.
 *
 * <p>Every recording path catches what it throws and hands it here: the failure is counted in
 * {@code inferwatch_internal_errors_total{operation}} and logged once per operation (a broken
 * helper called 10⁵ times a second must not flood the log).
 */
public final class InternalErrors {

  private static final Logger log = LoggerFactory.getLogger(InternalErrors.class);
  private static final int MAX_OPERATIONS = 64;

  private final Counter counter;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  /** Registers {@code inferwatch_internal_errors_total} in {@code registry}. */
  public InternalErrors(Naming names, PrometheusRegistry registry) {
    this.counter =
        Counter.builder()
            .name(names.name(MetricNames.INTERNAL_ERRORS))
            .help("Failures inside Inferwatch that were contained instead of reaching the host")
            .labelNames("operation")
            .constLabels(names.constLabels())
            .register(registry);
  }

  /** Counts and (once per operation) logs {@code failure}; never throws. */
  public void record(String operation, Throwable failure) {
    String op = operation;
    if (logged.size() >= MAX_OPERATIONS && !logged.contains(op)) {
      op = LabelGuard.OVERFLOW;
    }
    try {
      counter.labelValues(op).inc();
    } catch (RuntimeException ignored) {
      // The error counter itself failing leaves only the log line.
    }
    if (logged.add(op)) {
      log.warn(
          "Inferwatch contained a failure in {} (further ones are only counted): {}",
          op,
          String.valueOf(failure),
          failure);
    }
  }

  /** How many failures were recorded for {@code operation}; for tests and the JSON snapshot. */
  public long count(String operation) {
    return (long) counter.labelValues(operation).get();
  }
}
