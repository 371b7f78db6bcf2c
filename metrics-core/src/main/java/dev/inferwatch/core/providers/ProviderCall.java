package dev.inferwatch.core.providers;

/**
 * One timed call to a provider, for try-with-resources: closing it records the response time and
 * the outcome. A call closed without an outcome counts as {@link ProviderOutcome#FAILED}, so an
 * exception thrown inside the block is recorded as a failure without a catch.
 *
 * <pre>{@code
 * try (ProviderCall call = iw.providers().startCall("anthropic").model("claude-3")) {
 *   Response r = client.send(request);
 *   if (r.truncated()) {
 *     call.degraded("truncated");
 *   } else {
 *     call.ok();
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one call belongs to the thread that makes it.
 */
public final class ProviderCall implements AutoCloseable {

  private final ProviderMetrics metrics;
  final String provider;
  final long startNanos;
  String model;
  private ProviderOutcome outcome;
  private String detail;
  private ProviderError error;
  private boolean closed;

  ProviderCall(ProviderMetrics metrics, String provider, long startNanos) {
    this.metrics = metrics;
    this.provider = provider;
    this.startNanos = startNanos;
  }

  /** Also counts this call towards {@code model}'s 24-hour uptime. */
  public ProviderCall model(String model) {
    this.model = model;
    return this;
  }

  /** The provider answered in full. */
  public ProviderCall ok() {
    return outcome(ProviderOutcome.OK, null);
  }

  /** The provider answered slowly or partially; {@code detail} says how. */
  public ProviderCall degraded(String detail) {
    return outcome(ProviderOutcome.DEGRADED, detail);
  }

  /** The call failed; {@code detail} becomes the provider's last error. */
  public ProviderCall failed(String detail) {
    return outcome(ProviderOutcome.FAILED, detail);
  }

  /** The call failed; {@code error} (status, retryable, message) becomes the last error. */
  public ProviderCall failed(ProviderError error) {
    return failure(ProviderOutcome.FAILED, error);
  }

  /** The stream broke after it started; {@code error} becomes the last error. */
  public ProviderCall failedMidstream(ProviderError error) {
    return failure(ProviderOutcome.FAILED_MIDSTREAM, error);
  }

  /** Sets any outcome with an optional detail; the last call before {@link #close()} wins. */
  public ProviderCall outcome(ProviderOutcome outcome, String detail) {
    this.outcome = outcome;
    this.detail = detail;
    this.error = null;
    return this;
  }

  private ProviderCall failure(ProviderOutcome outcome, ProviderError error) {
    this.outcome = outcome;
    this.detail = null;
    this.error = error;
    return this;
  }

  /** Records the call once; later calls do nothing. Never throws. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ProviderOutcome o = outcome != null ? outcome : ProviderOutcome.FAILED;
    String d = outcome != null ? detail : "call ended without an outcome";
    metrics.finishCall(this, o, d, outcome != null ? error : null);
  }
}
