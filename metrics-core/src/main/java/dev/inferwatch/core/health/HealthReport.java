package dev.inferwatch.core.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to one probe: up when every check in scope is up, with each check's status.
 *
 * <pre>{@code
 * HealthReport ready = iw.health().check(HealthGroup.READINESS);
 * response.setStatus(ready.up() ? 200 : 503);
 * }</pre>
 *
 * @param up whether every check passed
 * @param checks each check by name, in registration order
 */
public record HealthReport(boolean up, Map<String, CheckStatus> checks) {

  /** Keeps the order of {@code checks}. */
  public HealthReport {
    checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
  }

  /** {@code UP} or {@code DOWN}. */
  public String status() {
    return up ? "UP" : "DOWN";
  }

  /** The reason of every check that is down, by check name. */
  public Map<String, String> reasons() {
    Map<String, String> reasons = new LinkedHashMap<>();
    checks.forEach(
        (name, status) -> {
          if (!status.up()) {
            reasons.put(name, status.reason());
          }
        });
    return reasons;
  }

  /**
   * A JSON-friendly view: {@code status} and {@code checks}, each with its status and, when
   * detailed, duration, reason, last success and details.
   */
  public Map<String, Object> toMap(boolean detailed) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("status", status());
    Map<String, Object> byName = new LinkedHashMap<>();
    checks.forEach(
        (name, status) -> {
          if (detailed) {
            byName.put(name, status.toMap());
          } else if (status.up()) {
            byName.put(name, Map.of("status", "UP"));
          } else {
            Map<String, Object> down = new LinkedHashMap<>();
            down.put("status", "DOWN");
            down.put("reason", String.valueOf(status.reason()));
            byName.put(name, down);
          }
        });
    map.put("checks", byName);
    return map;
  }
}
