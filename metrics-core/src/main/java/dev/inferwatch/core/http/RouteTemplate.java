package dev.inferwatch.core.http;

import java.util.List;

/**
 * One route template: {@code {name}} matches one segment, a trailing {@code **} the rest of the
 * path; the template's text is the route label.
 */
final class RouteTemplate {

  private final String text;
  private final String[] parts;
  private final boolean rest;

  private RouteTemplate(String text, String[] parts, boolean rest) {
    this.text = text;
    this.parts = parts;
    this.rest = rest;
  }

  static RouteTemplate parse(String text) {
    if (text == null || !text.startsWith("/")) {
      throw new IllegalArgumentException("a route template must start with '/', got " + text);
    }
    List<String> segments = RouteNormalizer.split(text);
    boolean rest = !segments.isEmpty() && segments.get(segments.size() - 1).equals("**");
    if (rest) {
      segments = segments.subList(0, segments.size() - 1);
    }
    for (String s : segments) {
      if (s.contains("**")) {
        throw new IllegalArgumentException("'**' may only end a template, got " + text);
      }
    }
    return new RouteTemplate(text, segments.toArray(new String[0]), rest);
  }

  /** The template's text when {@code segments} match it, else {@code null}. */
  String match(List<String> segments) {
    if (rest ? segments.size() < parts.length : segments.size() != parts.length) {
      return null;
    }
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean variable = part.startsWith("{") && part.endsWith("}");
      if (!variable && !part.equals(segments.get(i))) {
        return null;
      }
    }
    return text;
  }
}
