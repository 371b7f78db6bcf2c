package dev.inferwatch.core.events;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds what a host declares at startup ({@link EventJournal#startup}) before it becomes an event:
 * at most {@value #MAX_FIELDS} fields and {@value #MAX_FIELDS} items per list or map, keys cut to
 * {@value #MAX_KEY_LENGTH} characters, strings to {@value #MAX_VALUE_LENGTH} (items of lists and
 * maps to {@value #MAX_KEY_LENGTH}); numbers and booleans are kept, anything else becomes its
 * string form. A declaration therefore costs at most a few tens of kilobytes, whatever the host
 * passes.
 */
final class StartupDeclaration {

  static final int MAX_FIELDS = 32;
  static final int MAX_KEY_LENGTH = 64;
  static final int MAX_VALUE_LENGTH = 200;

  private StartupDeclaration() {}

  static Map<String, Object> bound(Map<String, ?> declared) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (declared == null) {
      return out;
    }
    for (Map.Entry<String, ?> e : declared.entrySet()) {
      if (out.size() == MAX_FIELDS) {
        out.put("truncated", true);
        break;
      }
      if (e.getKey() != null && e.getValue() != null) {
        out.put(clip(e.getKey(), MAX_KEY_LENGTH), value(e.getValue()));
      }
    }
    return out;
  }

  private static Object value(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (out.size() == MAX_FIELDS) {
          break;
        }
        if (e.getKey() != null && e.getValue() != null) {
          out.put(clip(String.valueOf(e.getKey()), MAX_KEY_LENGTH), item(e.getValue()));
        }
      }
      return out;
    }
    if (value instanceof Collection<?> collection) {
      return items(collection);
    }
    if (value.getClass().isArray()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value) && i < MAX_FIELDS; i++) {
        list.add(Array.get(value, i));
      }
      return items(list);
    }
    return scalar(value, MAX_VALUE_LENGTH);
  }

  private static List<Object> items(Collection<?> collection) {
    List<Object> out = new ArrayList<>();
    for (Object item : collection) {
      if (out.size() == MAX_FIELDS) {
        break;
      }
      if (item != null) {
        out.add(item(item));
      }
    }
    return out;
  }

  private static Object item(Object value) {
    return scalar(value, MAX_KEY_LENGTH);
  }

  private static Object scalar(Object value, int maxLength) {
    if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      return value;
    }
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return Double.isFinite(d) ? d : String.valueOf(d);
    }
    return clip(String.valueOf(value), maxLength);
  }

  private static String clip(String s, int maxLength) {
    return s.length() > maxLength ? s.substring(0, maxLength) : s;
  }
}
