package dev.inferwatch.servlet.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.inferwatch.core.internal.Json;

/**
 * Says what is wrong with a request body that is not JSON, in a plain sentence with the place
 * (line, column) and the JSON path of the problem, never a library's class or method names: a 400
 * must help the caller and tell an attacker nothing about the stack behind it.
 *
 * <pre>{@code
 * catch (JacksonException e) {
 *   throw ChatModelException.invalid(JsonProblems.describe(e), JsonProblems.path(e));
 * }
 * }</pre>
 */
public final class JsonProblems {

  private JsonProblems() {}

  /** A plain sentence for the failure to read a body as JSON. */
  public static String describe(JacksonException failure) {
    String where = where(failure);
    String path = path(failure);
    String at = where + (path == null ? "" : ", in " + path);
    if (failure instanceof StreamConstraintsException) {
      return "request body is over a JSON limit (at most "
          + Json.MAX_NESTING_DEPTH
          + " levels of nesting, numbers of "
          + Json.MAX_NUMBER_LENGTH
          + " digits, names of "
          + Json.MAX_NAME_LENGTH
          + " characters)"
          + at;
    }
    if (failure instanceof JsonEOFException) {
      return "request body ends before its JSON value is complete" + at;
    }
    if (failure instanceof MismatchedInputException
        && failure.getOriginalMessage() != null
        && failure.getOriginalMessage().startsWith("Trailing token")) {
      return "request body has content after its JSON value" + where;
    }
    return "request body is not valid JSON" + at;
  }

  /**
   * The JSON path of the problem, such as {@code messages[0].content}; {@code null} at the top
   * level or when unknown.
   */
  public static String path(JacksonException failure) {
    if (!(failure.getProcessor() instanceof JsonParser parser)) {
      return null;
    }
    StringBuilder path = new StringBuilder();
    append(parser.getParsingContext(), path);
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

  private static String where(JacksonException failure) {
    JsonLocation location = failure.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
