package dev.inferwatch.demo;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.llm.LlmCall;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.providers.CircuitState;
import dev.inferwatch.core.providers.ProviderCall;
import dev.inferwatch.core.providers.ProviderError;
import dev.inferwatch.core.providers.ProviderMetrics;
import dev.inferwatch.core.providers.ProviderOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A simulated LLM gateway: every few hundred milliseconds it routes a request through a profile's
 * providers in order, with random latency, failures, mid-stream breaks, costs and a small circuit
 * breaker per provider, so every provider series and the journal have live data.
 *
 * <pre>{@code
 * iw.closeOnShutdown(DemoRouter.start(iw));
 * }</pre>
 */
final class DemoRouter implements AutoCloseable {

  private static final Duration OPEN_FOR = Duration.ofSeconds(15);
  private static final int FAILURES_TO_OPEN = 4;

  private final ProviderMetrics providers;
  private final LlmMetrics llm;
  private final List<FakeProvider> fleet =
      List.of(
          new FakeProvider("openai", "gpt-4o-mini", 0.35, 0.05, 0.0006, false),
          new FakeProvider("anthropic", "claude-3-haiku", 0.45, 0.08, 0.0008, false),
          new FakeProvider("groq", "llama-3-70b", 0.12, 0.25, 0.0002, false),
          new FakeProvider("local-vllm", "llama-3-8b", 0.08, 0.06, 0, true),
          new FakeProvider("mystery-cloud", "unknown-7b", 0.2, 0.1, -1, false));
  private final Thread thread;
  private volatile boolean running = true;

  private DemoRouter(Inferwatch iw) {
    this.providers = iw.providers();
    this.llm = iw.llm();
    for (FakeProvider p : fleet) {
      providers.setCircuitBreakerState(p.name, CircuitState.CLOSED);
    }
    // What a gateway declares at startup (seed 004): version, providers, profiles, flags.
    iw.events()
        .startup(
            Map.of(
                "version",
                iw.version(),
                "providers",
                fleet.stream().map(p -> p.name).toList(),
                "profiles",
                List.of("quality", "fast", "free-tier"),
                "flags",
                Map.of("paid_fallback", true, "unknown_providers", false)));
    providers
        .initAnomalies("latency_spike", "cost_spike")
        .initFallthroughs("quality", "fast", "free-tier");
    this.thread = DaemonThreads.create("demo-router", this::loop);
  }

  /** Starts routing simulated requests on a daemon thread; close to stop. */
  static DemoRouter start(Inferwatch iw) {
    DemoRouter router = new DemoRouter(iw);
    router.thread.start();
    return router;
  }

  private void loop() {
    RandomGenerator random = DemoRandom.stream(3);
    while (running) {
      int pick = random.nextInt(10);
      String profile = pick < 4 ? "quality" : pick < 8 ? "fast" : "free-tier";
      route(profile, random);
      providers.setTrialActiveCount(3 + random.nextInt(3));
      if (random.nextInt(50) == 0) {
        providers.recordAnomaly(random.nextBoolean() ? "latency_spike" : "cost_spike");
      }
      sleep(150 + random.nextInt(250));
    }
  }

  private void route(String profile, RandomGenerator random) {
    boolean paidAllowed = !profile.equals("free-tier");
    List<FakeProvider> order =
        profile.equals("fast") ? List.of(fleet.get(2), fleet.get(0), fleet.get(3)) : fleet;
    for (FakeProvider p : order) {
      if (p.usdPerToken < 0) {
        // Price and terms unknown: the router will not send traffic there.
        providers.recordProviderOutcome(p.name, ProviderOutcome.SKIPPED_UNKNOWN, "no price list");
        continue;
      }
      if (!p.free && !paidAllowed) {
        providers.recordProviderOutcome(p.name, ProviderOutcome.SKIPPED_PAID, "profile " + profile);
        continue;
      }
      if (!p.admits()) {
        providers.recordProviderOutcome(
            p.name, ProviderOutcome.SKIPPED_UNHEALTHY, "circuit " + p.state.label());
        continue;
      }
      boolean answered = call(p, random);
      if (answered) {
        return;
      }
    }
    providers.recordFallthrough(profile);
  }

  private boolean call(FakeProvider p, RandomGenerator random) {
    long latencyMillis = (long) (p.meanSeconds * 1000 * (0.4 + random.nextExponential()));
    // The same call seen twice: as a provider outcome and as a gen_ai client operation.
    try (ProviderCall call = providers.startCall(p.name).model(p.model);
        LlmCall client = llm.call(p.name, p.model, LlmMetrics.CHAT)) {
      sleep(Math.min(latencyMillis, 400));
      double roll = random.nextDouble();
      boolean ok;
      if (roll < p.failureRate * 0.7) {
        boolean unavailable = random.nextBoolean();
        call.failed(
            unavailable
                ? ProviderError.http(503, "HTTP 503 Service Unavailable")
                : new ProviderError("SocketTimeoutException", true, "read timed out"));
        client.failed(unavailable ? "503" : "timeout");
        ok = false;
      } else if (roll < p.failureRate) {
        call.failedMidstream(ProviderError.http(502, "stream reset after 37 chunks"));
        client.chunk().chunk().failed("stream_reset");
        ok = false;
      } else if (latencyMillis > 1500) {
        call.degraded("slow answer: " + latencyMillis + " ms");
        ok = true;
      } else {
        call.ok();
        ok = true;
      }
      int in = 50 + random.nextInt(500);
      int out = ok ? 20 + random.nextInt(400) : 0;
      if (ok) {
        // A streamed answer: chunks as they arrive, then the usage with its cached and reasoning
        // parts, as OpenAI reports them.
        for (int chunk = 0; chunk < 4; chunk++) {
          client.chunk();
          sleep(2 + random.nextInt(8));
        }
        client.usage(in, out, in / 4, p.model.startsWith("claude") ? out / 3 : -1);
      }
      providers.setTokenEfficiency(p.model, (double) out / in);
      if (ok) {
        providers.incrementCostByProvider(p.name, p.usdPerToken * (in + out) / 10);
      }
      p.afterCall(ok, providers);
      return ok;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      running = false;
      Thread.currentThread().interrupt();
    }
  }

  /** One fake upstream with its own latency, error rate, price and circuit breaker. */
  private static final class FakeProvider {
    final String name;
    final String model;
    final double meanSeconds;
    final double failureRate;
    final double usdPerToken;
    final boolean free;
    CircuitState state = CircuitState.CLOSED;
    int consecutiveFailures;
    long openedAt;

    FakeProvider(
        String name,
        String model,
        double meanSeconds,
        double failureRate,
        double usdPerToken,
        boolean free) {
      this.name = name;
      this.model = model;
      this.meanSeconds = meanSeconds;
      this.failureRate = failureRate;
      this.usdPerToken = usdPerToken;
      this.free = free;
    }

    boolean admits() {
      if (state == CircuitState.OPEN && System.nanoTime() - openedAt > OPEN_FOR.toNanos()) {
        state = CircuitState.HALF_OPEN;
      }
      return state != CircuitState.OPEN;
    }

    void afterCall(boolean ok, ProviderMetrics providers) {
      CircuitState before = state;
      if (ok) {
        consecutiveFailures = 0;
        state = CircuitState.CLOSED;
      } else if (++consecutiveFailures >= FAILURES_TO_OPEN || state == CircuitState.HALF_OPEN) {
        state = CircuitState.OPEN;
        openedAt = System.nanoTime();
      }
      if (state != before) {
        providers.setCircuitBreakerState(name, state);
      }
    }
  }
}
