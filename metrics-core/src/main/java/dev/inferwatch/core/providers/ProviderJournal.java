package dev.inferwatch.core.providers;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.events.EventType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the provider helpers write to the {@link EventJournal}: failures (which become the
 * provider's last error, with status and retryable), recoveries, rate-limited skips and degraded
 * answers, and circuit changes.
 */
final class ProviderJournal {

  private final EventJournal events;

  ProviderJournal(EventJournal events) {
    this.events = events;
  }

  /** {@code error} (status, retryable) when the host gave one, else {@code detail} or nothing. */
  void outcome(
      ProviderSeries p, ProviderOutcome outcome, String detail, ProviderError error, long now) {
    if (outcome == ProviderOutcome.OK) {
      if (p.failing) {
        // Only the recovery is an event: a healthy provider's oks would flush the ring.
        p.failing = false;
        events.emit(EventType.PROVIDER_OK, p.name, "recovered", Map.of("outcome", "ok"));
      }
      return;
    }
    if (outcome.failure()) {
      p.failing = true;
    } else if (!p.dueForJournal(outcome, now)) {
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("outcome", outcome.label());
    String message = detail != null ? detail : outcome.label();
    if (error != null) {
      fields.put("status", error.status());
      fields.put("retryable", error.retryable());
      message = error.message().isEmpty() ? outcome.label() : error.message();
    }
    events.emit(outcome.eventType(), p.name, message, fields);
  }

  void circuit(ProviderSeries p, CircuitState previous, CircuitState state) {
    if (previous != state && (previous != null || state != CircuitState.CLOSED)) {
      String from = previous == null ? "unknown" : previous.label();
      events.emit(
          EventType.CIRCUIT_CHANGED,
          p.name,
          from + " -> " + state.label(),
          Map.of("from", from, "to", state.label()));
    }
  }
}
