package dev.inferwatch.servlet.chat;

/**
 * One message of a chat request: {@code role} ({@code system}, {@code user}, {@code assistant},
 * {@code tool} or {@code developer}) and its text.
 *
 * <pre>{@code
 * ChatMessage question = new ChatMessage("user", "Why is the sky blue?");
 * }</pre>
 */
public record ChatMessage(String role, String content) {}
