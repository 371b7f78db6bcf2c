package dev.inferwatch.core.providers;

import dev.inferwatch.core.events.EventType;

/**
 * How one call to an upstream provider ended, the {@code outcome} label of {@code
 * provider_requests_total}.
 *
 * <pre>{@code
 * iw.providers().recordProviderOutcome("openai", ProviderOutcome.FAILED, e.getMessage());
 * }</pre>
 */
public enum ProviderOutcome {
  /** The provider answered in full. */
  OK("ok"),
  /** The call failed before any response data arrived. */
  FAILED("failed"),
  /** A stream started and broke before it finished. */
  FAILED_MIDSTREAM("failed_midstream"),
  /** The router skipped the provider because it costs money and the request may not. */
  SKIPPED_PAID("skipped_paid"),
  /** The router skipped the provider because it was unhealthy (circuit open, score too low). */
  SKIPPED_UNHEALTHY("skipped_unhealthy"),
  /** The router skipped the provider because it does not know its price or terms (seed 004). */
  SKIPPED_UNKNOWN("skipped_unknown"),
  /** The provider answered, but slowly or with a reduced result. */
  DEGRADED("degraded");

  private final String label;

  ProviderOutcome(String label) {
    this.label = label;
  }

  /** The label value as exposed, such as {@code failed_midstream}. */
  public String label() {
    return label;
  }

  /** Whether the provider itself failed (skips are the router's decision, not a failure). */
  public boolean failure() {
    return this == FAILED || this == FAILED_MIDSTREAM;
  }

  /** The journal event for this outcome. */
  EventType eventType() {
    return switch (this) {
      case OK -> EventType.PROVIDER_OK;
      case FAILED -> EventType.PROVIDER_FAILED;
      case FAILED_MIDSTREAM -> EventType.PROVIDER_FAILED_MIDSTREAM;
      case DEGRADED -> EventType.PROVIDER_DEGRADED;
      default -> EventType.PROVIDER_SKIPPED;
    };
  }

  /** Whether the provider was actually called (skips are not). */
  public boolean attempted() {
    return this != SKIPPED_PAID && this != SKIPPED_UNHEALTHY && this != SKIPPED_UNKNOWN;
  }
}
