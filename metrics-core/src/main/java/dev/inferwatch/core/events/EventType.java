package dev.inferwatch.core.events;

import org.slf4j.event.Level;

/**
 * The kinds of events the {@link EventJournal} keeps; the {@code type} label of {@code
 * inferwatch_events_total}.
 *
 * <pre>{@code
 * iw.events().emit(EventType.MODEL_STATE_CHANGED, "llama-3", "loading -> ready");
 * }</pre>
 */
public enum EventType {
  /** A provider answered again after failing (steady-state successes are counted, not logged). */
  PROVIDER_OK("provider_ok", Level.INFO),
  /** A provider call failed; also kept as the provider's last error. */
  PROVIDER_FAILED("provider_failed", Level.WARN),
  /** A provider stream broke after it started; also kept as the provider's last error. */
  PROVIDER_FAILED_MIDSTREAM("provider_failed_midstream", Level.WARN),
  /** The router skipped a provider (paid or unhealthy). */
  PROVIDER_SKIPPED("provider_skipped", Level.DEBUG),
  /** A provider answered slowly or with a reduced result. */
  PROVIDER_DEGRADED("provider_degraded", Level.INFO),
  /** The router ran out of providers for a routing profile. */
  ROUTER_FALLTHROUGH("router_fallthrough", Level.WARN),
  /** A provider's circuit breaker changed state. */
  CIRCUIT_CHANGED("circuit_changed", Level.WARN),
  /** A model changed lifecycle state (loading, ready, failed, reloading). */
  MODEL_STATE_CHANGED("model_state_changed", Level.INFO),
  /** A model failed to load or reload; also kept as the model's last error. */
  MODEL_FAILED("model_failed", Level.WARN),
  /** A chat completion failed on the model's side; also kept as the model's last error. */
  LLM_FAILED("llm_failed", Level.WARN),
  /** A GPU reported an XID error (the NVIDIA driver's critical-error report). */
  GPU_XID("gpu_xid", Level.WARN),
  /** An anomaly detector fired. */
  ANOMALY_DETECTED("anomaly_detected", Level.WARN),
  /**
   * A route parent had more distinct literal children than the fan-out allows; its children are one
   * {@code {param}} route from then on (once per parent).
   */
  ROUTE_FOLDED("route_folded", Level.WARN),
  /** Inferwatch (or the host) started. */
  STARTUP("startup", Level.INFO),
  /** Anything else the host wants on the record. */
  CUSTOM("custom", Level.INFO);

  private final String label;
  private final Level level;

  EventType(String label, Level level) {
    this.label = label;
    this.level = level;
  }

  /** The type as exposed in metrics and JSON, such as {@code provider_failed}. */
  public String label() {
    return label;
  }

  /** Whether an event of this type is kept as its subject's last error. */
  public boolean error() {
    return this == PROVIDER_FAILED
        || this == PROVIDER_FAILED_MIDSTREAM
        || this == MODEL_FAILED
        || this == LLM_FAILED;
  }

  Level level() {
    return level;
  }
}
