package dev.inferwatch.servlet;

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
final class ChatClient {

  static final ObjectMapper JSON = new ObjectMapper();

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status, headers, raw body, and its SSE {@code data:} payloads in order. */
  record Reply(int status, HttpResponse<String> response) {
    String body() {
      return response.body();
    }

    JsonNode json() {
      return parse(response.body());
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    List<String> events() {
      return ChatClient.events(response.body());
    }

    /** The JSON events (everything but {@code [DONE]}). */
    List<JsonNode> chunks() {
      List<JsonNode> out = new ArrayList<>();
      for (String e : events()) {
        if (!"[DONE]".equals(e)) {
          out.add(parse(e));
        }
      }
      return out;
    }

    /** The concatenated {@code delta.content} of every chunk. */
    String content() {
      StringBuilder text = new StringBuilder();
      for (JsonNode chunk : chunks()) {
        for (JsonNode choice : chunk.path("choices")) {
          text.append(choice.path("delta").path("content").asText(""));
        }
      }
      return text.toString();
    }

    /** Chunks that carry content text (not the role chunk, not the finish chunk). */
    long contentChunks() {
      return chunks().stream()
          .filter(c -> c.path("choices").size() == 1)
          .filter(c -> !c.path("choices").get(0).path("delta").path("content").asText("").isEmpty())
          .count();
    }
  }

  static String body(String model, boolean stream, String... extraFields) {
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

  Reply post(URI uri, String body) {
    return send(uri, "POST", "application/json", HttpRequest.BodyPublishers.ofString(body));
  }

  Reply send(URI uri, String method, String contentType, HttpRequest.BodyPublisher body) {
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

  static List<String> events(String body) {
    List<String> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.startsWith("data: ")) {
        events.add(block.substring(6));
      } else if (!block.isBlank()) {
        throw new IllegalArgumentException("not an SSE data event: " + block);
      }
    }
    return events;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
