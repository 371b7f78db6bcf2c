package dev.inferwatch.core.providers;

import java.util.Set;

/**
 * Why a call to a provider failed, kept as the provider's last error next to its message: the HTTP
 * status or error class, and whether a retry may succeed.
 *
 * <pre>{@code
 * iw.providers().recordProviderError("openrouter", ProviderOutcome.FAILED,
 *     ProviderError.http(429, "rate limited upstream"));          // retryable: true
 * call.failed(ProviderError.of(e, true));                         // status: SocketTimeoutException
 * }</pre>
 *
 * @param status the HTTP status ({@code 503}) or error class ({@code SocketTimeoutException}), at
 *     most {@value #MAX_STATUS_LENGTH} characters, never null
 * @param retryable whether the same request may succeed if sent again
 * @param message what went wrong, never null (the journal cuts it to 200 characters)
 */
public record ProviderError(String status, boolean retryable, String message) {

  /** Statuses are cut to this many characters. */
  public static final int MAX_STATUS_LENGTH = 64;

  // Timeouts, rate limits and the gateway family: what OpenAI's and Anthropic's SDKs retry.
  private static final Set<Integer> RETRYABLE_STATUSES =
      Set.of(408, 409, 425, 429, 500, 502, 503, 504);

  /** Normalises the values: null becomes empty, a long status is cut. */
  public ProviderError {
    status = status == null ? "" : status;
    if (status.length() > MAX_STATUS_LENGTH) {
      status = status.substring(0, MAX_STATUS_LENGTH);
    }
    message = message == null ? "" : message;
  }

  /** An HTTP error answer; retryable for 408, 409, 425, 429 and 500, 502, 503, 504. */
  public static ProviderError http(int status, String message) {
    return new ProviderError(
        Integer.toString(status), RETRYABLE_STATUSES.contains(status), message);
  }

  /** A call that threw {@code failure}: its simple class name is the status. */
  public static ProviderError of(Throwable failure, boolean retryable) {
    if (failure == null) {
      return new ProviderError("error", retryable, "");
    }
    String name = failure.getClass().getSimpleName();
    return new ProviderError(
        name.isEmpty() ? failure.getClass().getName() : name,
        retryable,
        String.valueOf(failure.getMessage()));
  }
}
