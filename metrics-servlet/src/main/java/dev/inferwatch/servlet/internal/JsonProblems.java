package dev.inferwatch.servlet.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.inferwatch.core.internal.Json;
import java.io.IOException;

/**
 * Reads a request body as exactly one JSON value through the kit's mapper, and says what is wrong
 * with one that is not: a plain sentence with the place (line, column) and the JSON path of the
 * problem, never a library's class or method names. A 400 must help the caller and tell an attacker
 * nothing about the stack behind it.
 *
 * <pre>{@code
 * try {
 *   JsonNode root = JsonProblems.read(body);
 * } catch (JsonProblems.Unreadable e) {
 *   throw ChatModelException.invalid(e.getMessage(), e.path());
 * }
 * }</pre>
 */
public final class JsonProblems {

  // The value alone: what follows it is checked below, to say so in plain words.
  private static final ObjectReader VALUE =
      Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonProblems() {}

  /** A body that is not one JSON value. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;

    Unreadable(String message, String path) {
      super(message, null, false, false);
      this.path = path;
    }

    /** The JSON path of the problem, such as {@code messages[0].content}; null at the top. */
    public String path() {
      return path;
    }
  }

  /**
   * The one JSON value of {@code body} ({@code null} when the body is empty), with {@link Json}'s
   * limits; content after the value is refused too.
   */
  public static JsonNode read(byte[] body) throws Unreadable {
    try (JsonParser parser = Json.MAPPER.createParser(body)) {
      JsonNode root;
      try {
        root = VALUE.readTree(parser);
      } catch (JacksonException e) {
        throw describe(e, parser);
      }
      try {
        if (parser.nextToken() != null) {
          throw trailing(parser.currentTokenLocation());
        }
      } catch (JacksonException e) {
        throw trailing(e.getLocation());
      }
      return root;
    } catch (IOException e) {
      throw new Unreadable("request body could not be read", null);
    }
  }

  private static Unreadable trailing(JsonLocation location) {
    return new Unreadable("request body has content after its JSON value" + where(location), null);
  }

  private static Unreadable describe(JacksonException failure, JsonParser parser) {
    String path = path(parser.getParsingContext());
    String at = where(failure.getLocation()) + (path == null ? "" : ", in " + path);
    String message;
    if (failure instanceof StreamConstraintsException) {
      message =
          "request body is over a JSON limit (at most "
              + Json.MAX_NESTING_DEPTH
              + " levels of nesting, numbers of "
              + Json.MAX_NUMBER_LENGTH
              + " digits, names of "
              + Json.MAX_NAME_LENGTH
              + " characters)";
    } else if (failure instanceof JsonEOFException) {
      message = "request body ends before its JSON value is complete";
    } else {
      message = "request body is not valid JSON";
    }
    return new Unreadable(message + at, path);
  }

  private static String path(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    append(context, path);
    return path.length() == 0 ? null : path.toString();
  }

  private static void append(JsonStreamContext context, StringBuilder path) {
    if (context == null || context.inRoot()) {
      return;
    }
    append(context.getParent(), path);
    if (context.inArray()) {
      path.append('[').append(Math.max(0, context.getCurrentIndex())).append(']');
    } else if (context.getCurrentName() != null) {
      if (path.length() > 0) {
        path.append('.');
      }
      path.append(context.getCurrentName());
    }
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
