package dev.inferwatch.core.health;

import dev.inferwatch.core.internal.InternalErrors;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One check of a {@link HealthRegistry}: its in-flight run (at most one, however many probes ask)
 * and its last result, which it also writes to {@code health_check_up} and {@code
 * health_check_duration_seconds}.
 */
final class RegisteredCheck {

  /** Where runs execute and results are counted; shared by every check of one registry. */
  record Recorder(ExecutorService executor, Gauge up, Histogram duration, InternalErrors errors) {}

  final String name;
  final HealthGroup group;
  final long timeoutNanos;
  final long ttlNanos;
  volatile CheckStatus last;
  volatile long lastAt;
  volatile long startedAt;
  private final String label;
  private final HealthCheck check;
  private final Recorder recorder;
  private volatile Instant lastSuccess;
  private Future<CheckStatus> inFlight;

  RegisteredCheck(
      String name,
      String label,
      HealthGroup group,
      HealthCheck check,
      long timeoutNanos,
      long ttlNanos,
      Recorder recorder) {
    this.name = name;
    this.label = label;
    this.group = group;
    this.check = check;
    this.timeoutNanos = timeoutNanos;
    this.ttlNanos = ttlNanos;
    this.recorder = recorder;
  }

  /** Starts a run unless one is still in flight; either way, the future of the current run. */
  synchronized Future<CheckStatus> start(long now) {
    if (inFlight != null && !inFlight.isDone()) {
      return inFlight;
    }
    startedAt = now;
    try {
      inFlight = recorder.executor().submit(this::run);
    } catch (RejectedExecutionException e) {
      inFlight =
          CompletableFuture.completedFuture(
              record(
                  HealthResult.down(
                      recorder.executor().isShutdown()
                          ? "health checks stopped"
                          : "health executor saturated"),
                  0));
    }
    return inFlight;
  }

  private CheckStatus run() {
    long t0 = System.nanoTime();
    HealthResult result;
    try {
      result = check.check();
      if (result == null) {
        result = HealthResult.down("check returned null");
      }
    } catch (Exception | LinkageError | StackOverflowError e) {
      result = HealthResult.down(reason(e));
    }
    return record(result, System.nanoTime() - t0);
  }

  /** Records the run still in flight as down because it ran past its timeout. */
  CheckStatus timedOut() {
    return record(
        HealthResult.down("timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"),
        timeoutNanos);
  }

  /** Makes {@code result} the check's last status and exports it. */
  CheckStatus record(HealthResult result, long nanos) {
    Instant now = Instant.now();
    if (result.healthy()) {
      lastSuccess = now;
    }
    CheckStatus status =
        new CheckStatus(
            group,
            result.healthy(),
            result.reason(),
            nanos / 1e9,
            now,
            lastSuccess,
            result.details());
    last = status;
    lastAt = System.nanoTime();
    try {
      recorder.up().labelValues(label, group.label()).set(result.healthy() ? 1 : 0);
      recorder.duration().labelValues(label).observe(nanos / 1e9);
    } catch (RuntimeException e) {
      recorder.errors().record("health.metrics", e);
    }
    return status;
  }

  private static String reason(Throwable t) {
    String message = t.getMessage();
    String type = t.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
