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
  private final String provider;
  private final long startNanos;
  private String model;
  private ProviderOutcome outcome;
  private String detail;
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

  /** Sets any outcome with an optional detail; the last call before {@link #close()} wins. */
  public ProviderCall outcome(ProviderOutcome outcome, String detail) {
    this.outcome = outcome;
    this.detail = detail;
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
    metrics.finishCall(provider, model, o, d, startNanos);
  }
}
