package dev.inferwatch.servlet.internal;

import java.util.Locale;

/**
 * The one content-type check of the chat and predict servlets; {@link BodyReader} reads the body.
 */
public final class RequestBodies {

  private RequestBodies() {}

  /** Whether {@code contentType} is {@code application/json} or {@code application/*+json}. */
  public static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
