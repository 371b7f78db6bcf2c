package dev.inferwatch.langchain4j;

import dev.langchain4j.model.output.TokenUsage;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The cached part of the input and the reasoning part of the output, from a {@link TokenUsage}
 * subclass that reports them in OpenAI's shape ({@code OpenAiTokenUsage}: {@code
 * inputTokensDetails().cachedTokens()}, {@code outputTokensDetails().reasoningTokens()}). This
 * module depends on {@code langchain4j-core} only, so the accessors are found by name, once per
 * class; a usage class without them reports both as absent (-1).
 */
final class TokenDetails {

  private static final ClassValue<TokenDetails> BY_CLASS =
      new ClassValue<>() {
        @Override
        protected TokenDetails computeValue(Class<?> type) {
          return new TokenDetails(
              Path.find(type, "inputTokensDetails", "cachedTokens"),
              Path.find(type, "outputTokensDetails", "reasoningTokens"));
        }
      };

  private final Path cacheRead;
  private final Path reasoning;

  private TokenDetails(Path cacheRead, Path reasoning) {
    this.cacheRead = cacheRead;
    this.reasoning = reasoning;
  }

  /** {@code prompt_tokens_details.cached_tokens}, or -1 when not reported. */
  static long cacheRead(TokenUsage usage) {
    return usage.getClass() == TokenUsage.class
        ? -1
        : BY_CLASS.get(usage.getClass()).cacheRead.read(usage);
  }

  /** {@code completion_tokens_details.reasoning_tokens}, or -1 when not reported. */
  static long reasoning(TokenUsage usage) {
    return usage.getClass() == TokenUsage.class
        ? -1
        : BY_CLASS.get(usage.getClass()).reasoning.read(usage);
  }

  /** Two public no-argument accessors, the second on what the first returns. */
  private record Path(Method details, Method count) {

    static final Path NONE = new Path(null, null);

    static Path find(Class<?> type, String detailsName, String countName) {
      try {
        Method details = type.getMethod(detailsName);
        Method count = details.getReturnType().getMethod(countName);
        if (!Modifier.isPublic(details.getDeclaringClass().getModifiers())
            || !Modifier.isPublic(count.getDeclaringClass().getModifiers())) {
          return NONE;
        }
        return new Path(details, count);
      } catch (NoSuchMethodException | SecurityException e) {
        return NONE;
      }
    }

    long read(Object usage) {
      if (details == null) {
        return -1;
      }
      try {
        Object d = details.invoke(usage);
        Object n = d == null ? null : count.invoke(d);
        return n instanceof Number number ? number.longValue() : -1;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return -1;
      }
    }
  }
}
