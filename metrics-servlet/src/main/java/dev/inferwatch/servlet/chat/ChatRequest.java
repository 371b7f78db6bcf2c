package dev.inferwatch.servlet.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated chat completion request, free of servlet and JSON types; immutable.
 *
 * <p>{@link #maxTokens()} and {@link #temperature()} are {@code null} when the client did not send
 * them; {@link #stop()} is empty when absent.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder("fake-model")
 *     .message("user", "hello")
 *     .maxTokens(16)
 *     .build();
 * }</pre>
 */
public final class ChatRequest {

  private final String model;
  private final List<ChatMessage> messages;
  private final Integer maxTokens;
  private final Double temperature;
  private final boolean stream;
  private final List<String> stop;
  private final String user;

  private ChatRequest(Builder builder) {
    this.model = builder.model;
    this.messages = List.copyOf(builder.messages);
    this.maxTokens = builder.maxTokens;
    this.temperature = builder.temperature;
    this.stream = builder.stream;
    this.stop = List.copyOf(builder.stop);
    this.user = builder.user;
  }

  /** A request for {@code model}; add at least one message. */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** The model id the client asked for. */
  public String model() {
    return model;
  }

  /** The conversation, oldest first. */
  public List<ChatMessage> messages() {
    return messages;
  }

  /** {@code max_completion_tokens} (or {@code max_tokens}), or {@code null} when not sent. */
  public Integer maxTokens() {
    return maxTokens;
  }

  /** {@code temperature}, or {@code null} when not sent. */
  public Double temperature() {
    return temperature;
  }

  /** Whether the client asked for a stream of chunks. */
  public boolean stream() {
    return stream;
  }

  /** Stop sequences; empty when none were sent. */
  public List<String> stop() {
    return stop;
  }

  /** The client's end-user id, or {@code null}. */
  public String user() {
    return user;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatRequest other
        && model.equals(other.model)
        && messages.equals(other.messages)
        && Objects.equals(maxTokens, other.maxTokens)
        && Objects.equals(temperature, other.temperature)
        && stream == other.stream
        && stop.equals(other.stop)
        && Objects.equals(user, other.user);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, messages, maxTokens, temperature, stream, stop, user);
  }

  @Override
  public String toString() {
    return "ChatRequest[model="
        + model
        + ", messages="
        + messages.size()
        + ", stream="
        + stream
        + "]";
  }

  /** Configures a {@link ChatRequest}; setters check their argument. */
  public static final class Builder {
    private final String model;
    private final List<ChatMessage> messages = new ArrayList<>();
    private Integer maxTokens;
    private Double temperature;
    private boolean stream;
    private List<String> stop = List.of();
    private String user;

    private Builder(String model) {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.model = model;
    }

    /** Appends one message. */
    public Builder message(String role, String content) {
      messages.add(new ChatMessage(role, content));
      return this;
    }

    /** Appends {@code messages}, in order. */
    public Builder messages(List<ChatMessage> messages) {
      this.messages.addAll(messages);
      return this;
    }

    /** The most tokens to generate; {@code null} for the model's default. */
    public Builder maxTokens(Integer maxTokens) {
      if (maxTokens != null && maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /** The sampling temperature; {@code null} for the model's default. */
    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** Whether the answer is streamed. */
    public Builder stream(boolean stream) {
      this.stream = stream;
      return this;
    }

    /** Stop sequences; {@code null} reads as none. */
    public Builder stop(List<String> stop) {
      this.stop = stop == null ? List.of() : stop;
      return this;
    }

    /** The client's end-user id. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The request. */
    public ChatRequest build() {
      if (messages.isEmpty()) {
        throw new IllegalArgumentException("a chat request needs at least one message");
      }
      return new ChatRequest(this);
    }
  }
}
