package dev.inferwatch.core.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the distinct values one label of one family may take.
 *
 * <p>Values supplied by callers (provider, model, error type…) pass through {@link #guard}: the
 * first {@code limit} distinct values keep their own series, later ones fold into {@value
 * #OVERFLOW} and are counted in {@code inferwatch_label_overflow_total{family}}. Values are
 * truncated to {@value #MAX_VALUE_LENGTH} characters so a hostile value cannot grow memory either,
 * and control characters (C0, DEL, C1, and the Unicode line and paragraph separators) become {@code
 * _}, so no caller-supplied value can break a log line or a terminal reading the exposition. {@link
 * #clean} applies the same to values that need no limit.
 *
 * <pre>{@code
 * LabelGuard models = iw.labelGuard(MetricNames.GEN_AI_SERVER_REQUESTS, 50);
 * String model = models.guard(request.model()); // "__overflow__" past 50 distinct models
 * }</pre>
 */
public final class LabelGuard {

  /** The value that stands for every label value past a family's limit. */
  public static final String OVERFLOW = "__overflow__";

  /** The value that stands for a missing (null or empty) label value. */
  public static final String UNKNOWN = "unknown";

  /** Longer label values are cut to this many characters. */
  public static final int MAX_VALUE_LENGTH = 128;

  /** What stands in for each control character of a label value. */
  public static final char REPLACEMENT = '_';

  private final int limit;
  private final CounterDataPoint overflows;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  LabelGuard(int limit, CounterDataPoint overflows) {
    if (limit < 1) {
      throw new IllegalArgumentException("label limit must be at least 1, got " + limit);
    }
    this.limit = limit;
    this.overflows = overflows;
  }

  /**
   * Admits {@code value} ahead of the limit: configured values (model ids, provider names) keep
   * their own series however many unknown values arrive first.
   */
  public LabelGuard allow(String value) {
    seen.add(clip(value));
    return this;
  }

  /** {@code value} itself while under the limit or already seen, {@value #OVERFLOW} otherwise. */
  public String guard(String value) {
    String v = clip(value);
    if (seen.contains(v)) {
      return v;
    }
    if (seen.size() < limit && seen.add(v)) {
      return v;
    }
    if (seen.contains(v)) {
      return v;
    }
    overflows.inc();
    return OVERFLOW;
  }

  /** How many distinct values have their own series. */
  public int size() {
    return seen.size();
  }

  /**
   * {@code value} cut to {@value #MAX_VALUE_LENGTH} characters, control characters replaced by
   * {@value #REPLACEMENT}; {@value #UNKNOWN} for null or empty. For caller-supplied label values
   * that need no cardinality limit (a model's version, stage or framework).
   */
  public static String clean(String value) {
    return clip(value);
  }

  private static String clip(String value) {
    if (value == null || value.isEmpty()) {
      return UNKNOWN;
    }
    String v = value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value;
    for (int i = 0; i < v.length(); i++) {
      if (isControl(v.charAt(i))) {
        return replaceControls(v);
      }
    }
    return v;
  }

  private static String replaceControls(String value) {
    char[] chars = value.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (isControl(chars[i])) {
        chars[i] = REPLACEMENT;
      }
    }
    return new String(chars);
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
