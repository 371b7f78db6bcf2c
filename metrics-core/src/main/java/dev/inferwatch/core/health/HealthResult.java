package dev.inferwatch.core.health;

import java.util.Map;

/**
 * What one run of a {@link HealthCheck} found: up or down, why, and optional JSON-friendly details.
 *
 * <pre>{@code
 * return free > min ? HealthResult.up(Map.of("free_bytes", free)) : HealthResult.down("disk full");
 * }</pre>
 *
 * @param healthy whether the check passed
 * @param reason why it did not ({@code null} when up)
 * @param details numbers and strings worth showing on {@code /health/detailed}
 */
public record HealthResult(boolean healthy, String reason, Map<String, Object> details) {

  /** Copies {@code details}; a null map reads as empty. */
  public HealthResult {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** Up, no details. */
  public static HealthResult up() {
    return new HealthResult(true, null, Map.of());
  }

  /** Up, with details. */
  public static HealthResult up(Map<String, Object> details) {
    return new HealthResult(true, null, details);
  }

  /** Down because of {@code reason}. */
  public static HealthResult down(String reason) {
    return new HealthResult(false, reason, Map.of());
  }

  /** Down because of {@code reason}, with details. */
  public static HealthResult down(String reason, Map<String, Object> details) {
    return new HealthResult(false, reason, details);
  }
}
