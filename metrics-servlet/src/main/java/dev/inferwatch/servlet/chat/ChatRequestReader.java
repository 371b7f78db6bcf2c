package dev.inferwatch.servlet.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.servlet.internal.JsonProblems;
import dev.inferwatch.servlet.internal.RequestBodies;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns an OpenAI chat request into a {@link ChatRequest}, rejecting a wrong content type (415),
 * what is malformed (400: trailing content after the JSON included, with a plain message and the
 * JSON path of the problem) or asks for something the servlet does not implement (501).
 */
final class ChatRequestReader {

  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");
  private static final int MAX_STOP_SEQUENCES = 4;

  /** A parsed request plus the wire-only option {@code stream_options.include_usage}. */
  record Parsed(ChatRequest request, boolean includeUsage) {}

  private ChatRequestReader() {}

  /** Refuses (415) a content type other than JSON. */
  static void checkContentType(String type) {
    if (!RequestBodies.isJson(type)) {
      throw new ChatModelException(
          415,
          "invalid_request_error",
          "Content-Type must be application/json, got '" + (type == null ? "" : type) + "'",
          null,
          "unsupported_media_type");
    }
  }

  /**
   * Parses {@code body}; a request without {@code model} asks for {@code defaultModel} (the one
   * model served), or is refused when that is {@code null}.
   */
  static Parsed read(byte[] body, String defaultModel) {
    JsonNode root;
    try {
      root = JsonProblems.read(body);
    } catch (JsonProblems.Unreadable e) {
      throw ChatModelException.invalid(e.getMessage(), e.path());
    }
    if (root == null || !root.isObject()) {
      throw ChatModelException.invalid("request body must be a JSON object", null);
    }
    String model =
        defaultModel != null && present(root, "model") == null
            ? defaultModel
            : requiredString(root, "model");
    List<ChatMessage> messages = messages(root.get("messages"));
    Integer maxTokens = positiveInt(root, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = positiveInt(root, "max_tokens");
    }
    Double temperature = null;
    JsonNode t = present(root, "temperature");
    if (t != null) {
      if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 2) {
        throw ChatModelException.invalid("temperature must be a number from 0 to 2", "temperature");
      }
      temperature = t.asDouble();
    }
    boolean stream = bool(root, "stream");
    boolean includeUsage = false;
    JsonNode options = present(root, "stream_options");
    if (options != null) {
      if (!options.isObject()) {
        throw ChatModelException.invalid("stream_options must be an object", "stream_options");
      }
      if (!stream) {
        throw ChatModelException.invalid(
            "stream_options is only allowed when stream is true", "stream_options");
      }
      includeUsage = bool(options, "include_usage");
    }
    checkUnsupported(root);
    String user = null;
    JsonNode u = present(root, "user");
    if (u != null) {
      if (!u.isTextual()) {
        throw ChatModelException.invalid("user must be a string", "user");
      }
      user = u.asText();
    }
    ChatRequest request =
        ChatRequest.builder(model)
            .messages(messages)
            .maxTokens(maxTokens)
            .temperature(temperature)
            .stream(stream)
            .stop(stop(root))
            .user(user)
            .build();
    return new Parsed(request, includeUsage);
  }

  private static List<ChatMessage> messages(JsonNode node) {
    if (node == null || node.isNull()) {
      throw ChatModelException.invalid("messages is required", "messages");
    }
    if (!node.isArray() || node.isEmpty()) {
      throw ChatModelException.invalid("messages must be a non-empty array", "messages");
    }
    List<ChatMessage> messages = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode m = node.get(i);
      String param = "messages[" + i + "]";
      if (!m.isObject()) {
        throw ChatModelException.invalid(param + " must be an object", param);
      }
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
        throw ChatModelException.invalid(
            param + ".role must be one of " + new TreeSet<>(ROLES), param + ".role");
      }
      messages.add(new ChatMessage(role.asText(), content(m.get("content"), param + ".content")));
    }
    return messages;
  }

  /** Text content, or the text parts of an array content joined; other parts are 501. */
  private static String content(JsonNode content, String param) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw ChatModelException.invalid(param + " must be a string or an array of parts", param);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      JsonNode type = part.get("type");
      if (type == null || !type.isTextual()) {
        throw ChatModelException.invalid(param + " parts need a type", param);
      }
      if (!"text".equals(type.asText()) || !part.path("text").isTextual()) {
        throw ChatModelException.unsupported(
            "content parts of type '" + type.asText() + "' are not supported", param);
      }
      text.append(part.get("text").asText());
    }
    return text.toString();
  }

  private static List<String> stop(JsonNode root) {
    JsonNode stop = present(root, "stop");
    if (stop == null) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.asText());
    }
    if (stop.isArray() && stop.size() <= MAX_STOP_SEQUENCES) {
      List<String> out = new ArrayList<>();
      for (JsonNode s : stop) {
        if (!s.isTextual()) {
          throw ChatModelException.invalid("stop must hold strings", "stop");
        }
        out.add(s.asText());
      }
      return out;
    }
    throw ChatModelException.invalid(
        "stop must be a string or an array of up to " + MAX_STOP_SEQUENCES + " strings", "stop");
  }

  private static void checkUnsupported(JsonNode root) {
    JsonNode n = present(root, "n");
    if (n != null) {
      if (!n.canConvertToExactIntegral() || n.asInt() < 1) {
        throw ChatModelException.invalid("n must be a positive integer", "n");
      }
      if (n.asInt() != 1) {
        throw ChatModelException.unsupported("only n = 1 is supported", "n");
      }
    }
    for (String field : new String[] {"tools", "functions"}) {
      JsonNode f = present(root, field);
      if (f != null && (!f.isArray() || !f.isEmpty())) {
        throw ChatModelException.unsupported(field + " are not supported", field);
      }
    }
    JsonNode logprobs = present(root, "logprobs");
    if (logprobs != null && logprobs.asBoolean(false)) {
      throw ChatModelException.unsupported("logprobs are not supported", "logprobs");
    }
  }

  private static String requiredString(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw ChatModelException.invalid(field + " is required", field);
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw ChatModelException.invalid(field + " must be a non-empty string", field);
    }
    return node.asText();
  }

  private static Integer positiveInt(JsonNode root, String field) {
    JsonNode node = present(root, field);
    if (node == null) {
      return null;
    }
    if (!node.canConvertToExactIntegral() || !node.canConvertToInt() || node.asInt() < 1) {
      throw ChatModelException.invalid(field + " must be a positive integer", field);
    }
    return node.asInt();
  }

  private static boolean bool(JsonNode root, String field) {
    JsonNode node = present(root, field);
    if (node == null) {
      return false;
    }
    if (!node.isBoolean()) {
      throw ChatModelException.invalid(field + " must be a boolean", field);
    }
    return node.asBoolean();
  }

  /** The field's node, or {@code null} when it is absent or JSON null. */
  private static JsonNode present(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : node;
  }
}
