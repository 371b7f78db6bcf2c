package dev.inferwatch.core.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One journal entry: when, what kind, about what ({@code subject}: a provider, model, profile…), a
 * short message (at most {@value #MAX_MESSAGE_LENGTH} characters) and optional extra fields.
 *
 * <pre>{@code
 * for (Event e : iw.events().recent(10)) {
 *   log.info("{} {} {}: {}", e.time(), e.type().label(), e.subject(), e.message());
 * }
 * }</pre>
 *
 * @param time when the event was emitted
 * @param type its kind
 * @param subject what it is about, never null
 * @param message what happened, truncated, never null
 * @param fields extra key-values (such as {@code outcome}), immutable
 */
public record Event(
    Instant time, EventType type, String subject, String message, Map<String, Object> fields) {

  /**
   * The field holding the id of the request a failure happened in (from the SLF4J MDC key of the
   * same name, which the servlet filter sets).
   */
  public static final String REQUEST_ID = "request_id";

  /** Messages are cut to this many characters so a hostile upstream cannot grow memory. */
  public static final int MAX_MESSAGE_LENGTH = 200;

  /** Normalises the values: nulls become empty, messages are truncated, fields copied. */
  public Event {
    subject = subject == null ? "" : subject;
    message = message == null ? "" : message;
    if (message.length() > MAX_MESSAGE_LENGTH) {
      message = message.substring(0, MAX_MESSAGE_LENGTH);
    }
    fields = copyWithoutNulls(fields);
  }

  /**
   * The event as JSON-ready values: {@code time} (ISO-8601), {@code type}, {@code subject}, {@code
   * message}, then the extra fields.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("time", time.toString());
    map.put("type", type.label());
    map.put("subject", subject);
    map.put("message", message);
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      map.putIfAbsent(e.getKey(), e.getValue());
    }
    return map;
  }

  private static Map<String, Object> copyWithoutNulls(Map<String, ?> fields) {
    if (fields == null || fields.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      if (e.getKey() != null && e.getValue() != null) {
        copy.put(e.getKey(), e.getValue());
      }
    }
    return Collections.unmodifiableMap(copy);
  }
}
