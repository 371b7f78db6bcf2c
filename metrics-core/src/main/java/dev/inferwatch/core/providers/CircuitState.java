package dev.inferwatch.core.providers;

/**
 * The states of a provider's circuit breaker (resilience4j's set), exposed as the stateset {@code
 * provider_circuit_breaker_state}.
 *
 * <pre>{@code
 * iw.providers().setCircuitBreakerState("openai", CircuitState.OPEN);
 * }</pre>
 */
public enum CircuitState {
  /** Calls flow. */
  CLOSED("closed"),
  /** Calls are refused after too many failures. */
  OPEN("open"),
  /** A few trial calls decide between closed and open. */
  HALF_OPEN("half_open"),
  /** Held open by an operator. */
  FORCED_OPEN("forced_open"),
  /** The breaker is off; calls always flow. */
  DISABLED("disabled");

  private final String label;

  CircuitState(String label) {
    this.label = label;
  }

  /** The state name as exposed, such as {@code half_open}. */
  public String label() {
    return label;
  }

  static String[] labels() {
    CircuitState[] states = values();
    String[] labels = new String[states.length];
    for (int i = 0; i < states.length; i++) {
      labels[i] = states[i].label;
    }
    return labels;
  }
}
