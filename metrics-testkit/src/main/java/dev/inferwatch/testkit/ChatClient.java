package dev.inferwatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives the chat servlet over real HTTP and parses what comes back: JSON bodies and SSE events.
 *
 * <pre>{@code
 * ChatClient.Reply reply = chat.post(app.uri("/v1/chat/completions"), ChatClient.body("m", true));
 * assertThat(reply.events()).last().isEqualTo("[DONE]");
 * }</pre>
 */
public final class ChatClient {

  /** The mapper replies are parsed with. */
  public static final ObjectMapper JSON = new ObjectMapper();

  /** The underlying client, for requests the helpers below do not cover. */
  public final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status, headers, raw body, and its SSE {@code data:} payloads in order. */
  public record Reply(int status, HttpResponse<String> response) {
    /** The raw body. */
    public String body() {
      return response.body();
    }

    /** The body as JSON. */
    public JsonNode json() {
      return parse(response.body());
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    /** The SSE {@code data:} payloads in order, {@code [DONE]} included. */
    public List<String> events() {
      return ChatClient.events(response.body());
    }

    /** The JSON events (everything but {@code [DONE]}). */
    public List<JsonNode> chunks() {
      List<JsonNode> out = new ArrayList<>();
      for (String e : events()) {
        if (!"[DONE]".equals(e)) {
          out.add(parse(e));
        }
      }
      return out;
    }

    /** The concatenated {@code delta.content} of every chunk. */
    public String content() {
      StringBuilder text = new StringBuilder();
      for (JsonNode chunk : chunks()) {
        for (JsonNode choice : chunk.path("choices")) {
          text.append(choice.path("delta").path("content").asText(""));
        }
      }
      return text.toString();
    }

    /** Chunks that carry content text (not the role chunk, not the finish chunk). */
    public long contentChunks() {
      return chunks().stream()
          .filter(c -> c.path("choices").size() == 1)
          .filter(c -> !c.path("choices").get(0).path("delta").path("content").asText("").isEmpty())
          .count();
    }
  }

  /** A minimal chat request body for {@code model}; {@code extraFields} are raw JSON members. */
  public static String body(String model, boolean stream, String... extraFields) {
    StringBuilder extra = new StringBuilder();
    for (String f : extraFields) {
      extra.append(',').append(f);
    }
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say something nice\"}]"
        + extra
        + "}";
  }

  /** POSTs {@code body} as {@code application/json}. */
  public Reply post(URI uri, String body) {
    return send(uri, "POST", "application/json", HttpRequest.BodyPublishers.ofString(body));
  }

  /** Sends any request; {@code contentType} may be null. */
  public Reply send(URI uri, String method, String contentType, HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).method(method, body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The SSE {@code data:} payloads of {@code body} (an {@code event:} line before one, such as the
   * mid-stream {@code event: error}, is dropped); anything else throws.
   */
  public static List<String> events(String body) {
    List<String> events = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      String block = event.startsWith("event: ") ? event.substring(event.indexOf('\n') + 1) : event;
      if (block.startsWith("data: ")) {
        events.add(block.substring(6));
      } else if (!block.isBlank()) {
        throw new IllegalArgumentException("not an SSE data event: " + block);
      }
    }
    return events;
  }

  /** {@code json} parsed; malformed JSON throws. */
  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
