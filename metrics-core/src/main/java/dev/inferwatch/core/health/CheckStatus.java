package dev.inferwatch.core.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest known state of one registered check, as {@code /health/detailed} shows it.
 *
 * <pre>{@code
 * CheckStatus model = iw.health().check(HealthGroup.READINESS).checks().get("model:sentiment");
 * }</pre>
 *
 * @param group the probe the check answers for
 * @param up whether it passed
 * @param reason why not ({@code null} when up)
 * @param durationSeconds how long its last run took (the timeout when it timed out)
 * @param checkedAt when that run ended
 * @param lastSuccess when it last passed, {@code null} if never
 * @param details what the check reported beside up/down
 */
public record CheckStatus(
    HealthGroup group,
    boolean up,
    String reason,
    double durationSeconds,
    Instant checkedAt,
    Instant lastSuccess,
    Map<String, Object> details) {

  /** A JSON-friendly view: status, group, duration_seconds, reason, last_success, details. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("status", up ? "UP" : "DOWN");
    map.put("group", group.label());
    map.put("duration_seconds", durationSeconds);
    if (reason != null) {
      map.put("reason", reason);
    }
    map.put("checked_at", checkedAt == null ? null : checkedAt.toString());
    map.put("last_success", lastSuccess == null ? null : lastSuccess.toString());
    if (!details.isEmpty()) {
      map.put("details", details);
    }
    return map;
  }
}
