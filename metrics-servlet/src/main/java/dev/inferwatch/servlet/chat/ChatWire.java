package dev.inferwatch.servlet.chat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.servlet.internal.RequestIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The OpenAI wire objects the chat servlet writes: completions, chunks, errors, model lists. */
final class ChatWire {

  static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR_EVENT = "event: error\n".getBytes(StandardCharsets.US_ASCII);
  // What follows the text in a content chunk: the closing quote, delta, choice, choices, root.
  private static final byte[] CONTENT_TAIL = "\"}}]}\n\n".getBytes(StandardCharsets.US_ASCII);

  private final String id;
  private final long created;
  private final String model;
  private final boolean includeUsage;
  private byte[] contentHead;

  ChatWire(String id, long created, String model, boolean includeUsage) {
    this.id = id;
    this.created = created;
    this.model = model;
    this.includeUsage = includeUsage;
  }

  /** A {@code chat.completion} object. */
  ObjectNode completion(ChatCompletion completion) {
    ObjectNode root = head("chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", completion.content());
    choice.putNull("logprobs");
    FinishReason reason = completion.finishReason();
    choice.put("finish_reason", (reason == null ? FinishReason.STOP : reason).label());
    if (completion.usage() != null) {
      usage(root, completion.usage());
    }
    return root;
  }

  /** The first chunk of a stream: the assistant role and empty content. */
  byte[] roleChunk() {
    ObjectNode root = chunkHead();
    ObjectNode delta = choice(root).putObject("delta");
    delta.put("role", "assistant");
    delta.put("content", "");
    return event(root);
  }

  /**
   * One content chunk: the stream's constant bytes around the escaped text. The head and tail are
   * rendered once per stream, so a token costs an escape and a copy instead of a JSON tree.
   */
  byte[] contentChunk(String text) {
    if (contentHead == null) {
      splitContentChunk();
    }
    // Jackson's generator escapes a character outside the BMP as a surrogate pair where the encoder
    // writes its UTF-8 bytes: such text (and a lone surrogate) takes the tree path, as it always
    // did.
    if (contentHead.length == 0 || hasSurrogate(text)) {
      return treeContentChunk(text);
    }
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    byte[] out = new byte[contentHead.length + escaped.length + CONTENT_TAIL.length];
    System.arraycopy(contentHead, 0, out, 0, contentHead.length);
    System.arraycopy(escaped, 0, out, contentHead.length, escaped.length);
    System.arraycopy(
        CONTENT_TAIL, 0, out, contentHead.length + escaped.length, CONTENT_TAIL.length);
    return out;
  }

  /** The content chunk as a JSON tree: the reference the fast path must match byte for byte. */
  byte[] treeContentChunk(String text) {
    ObjectNode root = chunkHead();
    choice(root).putObject("delta").put("content", text);
    return event(root);
  }

  private static boolean hasSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private void splitContentChunk() {
    byte[] empty = treeContentChunk("");
    int head = empty.length - CONTENT_TAIL.length;
    boolean shaped =
        head > 0
            && empty[head - 1] == '"'
            && Arrays.equals(empty, head, empty.length, CONTENT_TAIL, 0, CONTENT_TAIL.length);
    // Should the tree ever render differently, every chunk takes the tree path (empty head).
    contentHead = shaped ? Arrays.copyOf(empty, head) : new byte[0];
  }

  /** The chunk that carries the finish reason. */
  byte[] finishChunk(FinishReason reason) {
    ObjectNode root = chunkHead();
    ObjectNode choice = choice(root);
    choice.putObject("delta");
    choice.put("finish_reason", reason.label());
    return event(root);
  }

  /** The usage chunk sent last when {@code stream_options.include_usage} is set. */
  byte[] usageChunk(ChatUsage usage) {
    ObjectNode root = head("chat.completion.chunk");
    root.putArray("choices");
    usage(root, usage);
    return event(root);
  }

  boolean includeUsage() {
    return includeUsage;
  }

  /**
   * An error as an SSE event named {@code error}, for failures after the stream started. OpenAI's
   * SDKs and vLLM's clients read the {@code error} object in the data; LangChain4j's OpenAI client
   * (1.x) recognises a mid-stream error only by the event name and otherwise ends the stream as a
   * success, so the event carries both.
   */
  static byte[] errorEvent(String message, String type, String code) {
    byte[] data = event(error(message, type, null, code));
    byte[] out = new byte[ERROR_EVENT.length + data.length];
    System.arraycopy(ERROR_EVENT, 0, out, 0, ERROR_EVENT.length);
    System.arraycopy(data, 0, out, ERROR_EVENT.length, data.length);
    return out;
  }

  /**
   * The OpenAI error object {@code {"error": {message, type, param, code, request_id}}}, with the
   * id of the request this thread works for ({@link RequestIds#current()}) when there is one.
   */
  static ObjectNode error(String message, String type, String param, String code) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    String requestId = RequestIds.current();
    if (requestId != null) {
      error.put("request_id", requestId);
    }
    return root;
  }

  /** An SSE comment: ignored by clients, it tells a waiting stream's client is still there. */
  static final byte[] HEARTBEAT = ": waiting for a worker\n\n".getBytes(StandardCharsets.US_ASCII);

  /** The {@code GET /v1/models} list. */
  static byte[] models(List<ChatModel> models, long created) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (ChatModel m : models) {
      ObjectNode entry = data.addObject();
      entry.put("id", m.id());
      entry.put("object", "model");
      entry.put("created", created);
      entry.put("owned_by", m.provider());
    }
    return bytes(root);
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  private ObjectNode head(String object) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", created);
    root.put("model", model);
    return root;
  }

  private ObjectNode chunkHead() {
    ObjectNode root = head("chat.completion.chunk");
    if (includeUsage) {
      root.putNull("usage");
    }
    return root;
  }

  private static ObjectNode choice(ObjectNode root) {
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return choice;
  }

  private static void usage(ObjectNode root, ChatUsage usage) {
    ObjectNode u = root.putObject("usage");
    u.put("prompt_tokens", usage.promptTokens());
    u.put("completion_tokens", usage.completionTokens());
    u.put("total_tokens", usage.totalTokens());
    if (usage.cachedTokens() >= 0) {
      u.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
    }
    if (usage.reasoningTokens() >= 0) {
      u.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    }
  }

  private static byte[] event(ObjectNode node) {
    byte[] json = bytes(node);
    byte[] out = new byte[json.length + 8];
    System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, out, 0, 6);
    System.arraycopy(json, 0, out, 6, json.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }
}
