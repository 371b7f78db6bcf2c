package dev.inferwatch.benchmarks.growth;

import dev.inferwatch.benchmarks.load.HelloApp;
import dev.inferwatch.benchmarks.load.LoadGenerator;
import dev.inferwatch.benchmarks.load.Rows;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.core.llm.LlmRecorder;
import dev.inferwatch.core.models.PredictionOutcome;
import dev.inferwatch.core.providers.CircuitState;
import dev.inferwatch.core.providers.ProviderOutcome;
import dev.inferwatch.servlet.internal.ContextInferwatch;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

/**
 * The child JVM of {@link Footprint}'s heap figure: {@link HelloApp} with or without the kit
 * ({@code -kit}), the same HTTP traffic either way (every route × status pair below through the
 * filter, when there is one), then, with the kit, every other cardinality guard filled past its cap
 * through the public helpers; then full collections, and the heap in use printed as {@code heap
 * <bytes>}.
 */
public final class FootprintApp {

  /** Routes recorded: as many as the default route cap. */
  static final int ROUTES = 200;

  /** A dozen statuses per route, as a busy API answers them. */
  static final int[] STATUSES = {200, 201, 204, 301, 304, 400, 401, 403, 404, 429, 500, 503};

  /** Models: the prediction and served-model guards' default cap. */
  static final int MODELS = 50;

  /** Providers: the provider guard's default cap. */
  static final int PROVIDERS = 100;

  /** Events: the journal's default ring. */
  static final int EVENTS = 256;

  private FootprintApp() {}

  /** {@code [-kit] [-fill false]}: serves, fills, collects, prints the heap in use, exits. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Rows.options(args);
    boolean kit = Boolean.parseBoolean(options.getOrDefault("kit", "false"));
    boolean fill = Boolean.parseBoolean(options.getOrDefault("fill", "true"));
    Server server =
        HelloApp.start(
            0,
            context -> {
              if (kit) {
                HelloApp.kit(context);
              }
            });
    if (fill) {
      int port = HelloApp.port(server);
      // Each path once per status. HelloApp names every path as a framework pattern would, and
      // since issue 22 such known routes have a cap of their own (1,000) apart from the heuristic's
      // 200, so sending twice as many paths (as this did before) recorded 400 routes, not 200.
      AtomicLong next = new AtomicLong();
      long requests = (long) ROUTES * STATUSES.length;
      LoadGenerator.get(
              port,
              () -> {
                long n = next.getAndIncrement();
                int route = (int) (n / STATUSES.length);
                return "/r/"
                    + RouteGrowthBenchmark.name(route)
                    + "?s="
                    + STATUSES[(int) (n % STATUSES.length)];
              },
              2)
          .run(600_000, requests);
      if (kit) {
        ServletContextHandler context = (ServletContextHandler) server.getHandler();
        fillGuards(
            (Inferwatch) context.getServletContext().getAttribute(ContextInferwatch.ATTRIBUTE));
      }
    }
    long heap = heapAfterFullGc();
    System.out.println("heap " + heap);
    System.out.flush();
    server.stop();
    System.exit(0);
  }

  /**
   * Models, providers, LLM series and events, each past its guard's cap; prints the heap in use
   * after each step ({@code stage <name> <bytes>}), so a figure over budget says where it went.
   */
  static void fillGuards(Inferwatch iw) throws InterruptedException {
    stage("http");
    for (int m = 0; m < MODELS * 2; m++) {
      String model = "model-" + m;
      iw.models().record(model, "v1", PredictionOutcome.OK, Duration.ofMillis(m));
      iw.models().record(model, "v1", PredictionOutcome.ERROR, Duration.ofMillis(m));
      iw.models().recordBatchSize(model, 8);
      iw.llm().allowModel(model);
    }
    stage("models");
    for (int p = 0; p < PROVIDERS * 2; p++) {
      String provider = "provider-" + p;
      iw.providers().recordProviderResponseTime(provider, Duration.ofMillis(p));
      iw.providers().recordProviderOutcome(provider, ProviderOutcome.OK);
      iw.providers().recordProviderOutcome(provider, ProviderOutcome.FAILED, "timeout");
      iw.providers().setCircuitBreakerState(provider, CircuitState.CLOSED);
      iw.providers().setProviderHealthScore(provider, 0.9);
      iw.providers().incrementCostByProvider(provider, 0.01);
    }
    stage("providers");
    for (int m = 0; m < MODELS * 2; m++) {
      String model = "model-" + m;
      String provider = "provider-" + (m % PROVIDERS);
      LlmRecorder served = iw.llm().serve(provider, model, "chat", true);
      served.token();
      served.token();
      served.finish(FinishReason.STOP, 10, 2);
      iw.llm().recordTokens(provider, model, 10, 2);
      iw.llm().call(provider, model, "chat").close();
    }
    stage("llm");
    for (int e = 0; e < EVENTS * 2; e++) {
      iw.events().emit(EventType.CUSTOM, "subject-" + (e % 32), "event " + e);
    }
    stage("events");
  }

  private static void stage(String name) throws InterruptedException {
    System.out.println("stage " + name + " " + heapAfterFullGc());
  }

  /** Heap in use after three full collections (each {@code System.gc()} is one on G1). */
  static long heapAfterFullGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
