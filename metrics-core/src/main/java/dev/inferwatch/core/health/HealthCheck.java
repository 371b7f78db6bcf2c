package dev.inferwatch.core.health;

import java.util.function.BooleanSupplier;

/**
 * One health check: answers up or down, with a reason when down.
 *
 * <pre>{@code
 * iw.health().register("db", HealthGroup.READINESS,
 *     () -> pool.ping() ? HealthResult.up() : HealthResult.down("no connection"),
 *     Duration.ofSeconds(1), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Implementers may block (the registry runs checks on its own threads and gives up after the
 * check's timeout) and may throw: an exception reads as down, its message as the reason.
 */
@FunctionalInterface
public interface HealthCheck {

  /** Runs the check once. */
  HealthResult check() throws Exception;

  /** A check that is up while {@code up} answers true. */
  static HealthCheck of(BooleanSupplier up) {
    return () -> up.getAsBoolean() ? HealthResult.up() : HealthResult.down("check returned false");
  }
}
