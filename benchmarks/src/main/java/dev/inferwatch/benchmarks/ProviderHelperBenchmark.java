package dev.inferwatch.benchmarks;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.providers.ProviderMetrics;
import dev.inferwatch.core.providers.ProviderOutcome;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The one-line provider helpers as host code writes them, against client_java's own {@code
 * labelValues(..).observe(..)} on a histogram with the same buckets.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ProviderHelper -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProviderHelperBenchmark {

  private static final Duration TOOK = Duration.ofMillis(120);

  private Inferwatch iw;
  private ProviderMetrics providers;
  private Histogram raw;

  /** One instance with the provider seen once, and the raw histogram on another registry. */
  @Setup(Level.Trial)
  public void setUp() {
    iw = Isolated.inferwatch().build();
    providers = iw.providers();
    providers.recordProviderResponseTime("openai", TOOK);
    providers.recordProviderOutcome("openai", ProviderOutcome.OK);
    raw =
        Histogram.builder()
            .name("provider_response_time_seconds")
            .labelNames("provider")
            .classicUpperBounds(
                0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96,
                81.92)
            .register(new PrometheusRegistry());
  }

  /** Closes the instance. */
  @TearDown(Level.Trial)
  public void tearDown() {
    iw.close();
  }

  /** {@code recordProviderResponseTime("openai", d)}: histogram plus the health-score window. */
  @Benchmark
  public void responseTime() {
    providers.recordProviderResponseTime("openai", TOOK);
  }

  /** {@code recordProviderOutcome("openai", OK)}: counter plus the health and uptime windows. */
  @Benchmark
  public void outcomeOk() {
    providers.recordProviderOutcome("openai", ProviderOutcome.OK);
  }

  /** client_java directly: the label lookup and observation the response-time helper wraps. */
  @Benchmark
  public void rawObserve() {
    raw.labelValues("openai").observe(0.12);
  }
}
