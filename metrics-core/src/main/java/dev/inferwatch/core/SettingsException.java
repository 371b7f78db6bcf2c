package dev.inferwatch.core;

import java.util.Locale;

/**
 * A setting with a value Inferwatch cannot use. Its message is one line naming the variable, the
 * value and what is allowed, the same shape for every setting:
 *
 * <pre>
 * INFERWATCH_MAX_ROUTES=abc: not an integer between 1 and 100000
 * </pre>
 *
 * <p>Values of secrets (keys holding {@code PASSWORD} or {@code TOKEN}) are never repeated. A
 * program's {@code main} prints {@link #getMessage()} and exits; no stack trace is needed.
 */
public final class SettingsException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String variable;
  private final String value;
  private final String allowed;

  /**
   * @param variable the name the value was read under, such as {@code INFERWATCH_MAX_ROUTES}
   * @param value the value as given, or {@code null} when the trouble is that it is missing
   * @param allowed what the setting accepts, as a phrase: {@code not an integer between 1 and 10}
   */
  public SettingsException(String variable, String value, String allowed) {
    super(variable + "=" + shown(variable, value) + ": " + allowed);
    this.variable = variable;
    this.value = value;
    this.allowed = allowed;
  }

  /** The variable (or property, or context parameter) the value came from. */
  public String variable() {
    return variable;
  }

  /** The value as given, or {@code null} when it was missing. */
  public String value() {
    return value;
  }

  /** What is allowed, as written in the message. */
  public String allowed() {
    return allowed;
  }

  private static String shown(String variable, String value) {
    if (value == null) {
      return "(unset)";
    }
    String upper = variable.toUpperCase(Locale.ROOT);
    if (upper.contains("PASSWORD") || upper.contains("TOKEN")) {
      return "(hidden)";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), 80));
    for (int i = 0; i < value.length() && i < 80; i++) {
      char c = value.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return value.length() > 80 ? out.append("...").toString() : out.toString();
  }
}
