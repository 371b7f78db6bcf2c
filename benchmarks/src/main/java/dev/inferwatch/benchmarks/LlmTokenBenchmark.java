package dev.inferwatch.benchmarks;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.llm.LlmRecorder;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
 * The per-token path of a served stream, {@link LlmRecorder#token()}: a {@code nanoTime()} and one
 * inter-token observation on a bound series, against the same two operations on client_java
 * directly, and the whole per-request cost (serve, 1 token, finish) for scale.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LlmToken -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LlmTokenBenchmark {

  private Inferwatch iw;
  private LlmMetrics llm;
  private LlmRecorder stream;
  private DistributionDataPoint raw;
  private long last;

  /** One instance with a stream past its first token, and a raw bound histogram point. */
  @Setup(Level.Trial)
  public void setUp() {
    iw = Isolated.inferwatch().build();
    llm = iw.llm();
    stream = llm.serve("local", "llama-3-8b", LlmMetrics.CHAT, true);
    stream.token();
    raw =
        Histogram.builder()
            .name("gen_ai_server_inter_token_latency_seconds")
            .labelNames("provider", "model")
            .classicUpperBounds(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1)
            .register(new PrometheusRegistry())
            .labelValues("local", "llama-3-8b");
    last = System.nanoTime();
  }

  /** Ends the stream and closes the instance. */
  @TearDown(Level.Trial)
  public void tearDown() {
    stream.finish(FinishReason.STOP, -1, -1);
    iw.close();
  }

  /** One token of a stream in flight. */
  @Benchmark
  public void token() {
    stream.token();
  }

  /** client_java directly: the clock read and observation {@code token()} wraps. */
  @Benchmark
  public void rawObserve() {
    long now = System.nanoTime();
    raw.observe((now - last) * 1e-9);
    last = now;
  }

  /** A whole non-streaming request: serve, one token, finish with usage. */
  @Benchmark
  public void request() {
    LlmRecorder r = llm.serve("local", "llama-3-8b", LlmMetrics.CHAT, false);
    r.token();
    r.finish(FinishReason.STOP, 12, 1);
  }
}
