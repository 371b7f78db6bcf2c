package dev.inferwatch.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.core.providers.ProviderError;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RetriableException;
import java.io.IOException;

/**
 * What a LangChain4j call failed with, as the kit records it: the {@code error_type} label (the
 * HTTP status when there was one, else the provider's error code from an OpenAI error object, else
 * the exception's simple class name) and the provider's last error, whose message is the {@code
 * error.message} of an OpenAI error object when the exception carries one (LangChain4j passes
 * response bodies and mid-stream error events through as exception messages).
 */
record Failure(String errorType, ProviderError providerError, boolean modelNotFound) {

  // A cause chain deeper than this is not followed (a cycle or a pathological wrapper).
  private static final int MAX_CAUSES = 16;
  // Error bodies longer than this are kept as text, not parsed.
  private static final int MAX_PARSED_CHARS = 16_384;

  static Failure of(Throwable error) {
    int status = 0;
    String message = null;
    boolean retryable = false;
    boolean notFound = false;
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      if (t instanceof HttpException http && status == 0) {
        status = http.statusCode();
        message = http.getMessage();
      }
      retryable |= t instanceof RetriableException;
      notFound |= t instanceof ModelNotFoundException;
    }
    if (message == null) {
      message = error == null ? null : error.getMessage();
    }
    JsonNode object = errorObject(message);
    if (object != null && object.path("message").isTextual()) {
      message = object.path("message").asText();
    }
    String type;
    if (status != 0) {
      type = Integer.toString(status);
      ProviderError http = ProviderError.http(status, message);
      retryable |= http.retryable();
    } else if (object != null && text(object, "code") != null) {
      type = text(object, "code");
    } else if (object != null && text(object, "type") != null) {
      type = text(object, "type");
    } else {
      type = error == null ? "error" : error.getClass().getSimpleName();
    }
    return new Failure(
        type, new ProviderError(type, retryable, message), notFound || status == 404);
  }

  /** The {@code error} object of an OpenAI error body, or null when {@code text} is none. */
  private static JsonNode errorObject(String text) {
    if (text == null || text.length() > MAX_PARSED_CHARS || !text.stripLeading().startsWith("{")) {
      return null;
    }
    try {
      JsonNode error = Json.MAPPER.readTree(text).path("error");
      return error.isObject() ? error : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode object, String field) {
    JsonNode node = object.path(field);
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }
}
