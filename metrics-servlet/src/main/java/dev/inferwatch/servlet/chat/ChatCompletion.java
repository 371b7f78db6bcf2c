package dev.inferwatch.servlet.chat;

import dev.inferwatch.core.llm.FinishReason;

/**
 * The result of a blocking completion: the generated text, why generation stopped ({@link
 * FinishReason#STOP} or {@link FinishReason#LENGTH}), and the usage, {@code null} when unknown.
 *
 * <pre>{@code
 * return new ChatCompletion(text, FinishReason.STOP, new ChatUsage(12, 40));
 * }</pre>
 */
public record ChatCompletion(String content, FinishReason finishReason, ChatUsage usage) {}
