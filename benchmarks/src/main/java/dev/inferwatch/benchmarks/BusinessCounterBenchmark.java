package dev.inferwatch.benchmarks;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.business.DomainCounter;
import io.prometheus.metrics.core.metrics.Counter;
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

/**
 * A domain counter through {@code iw.business()}: the one-line form that looks the family up on
 * every call, a held handle, and client_java's own {@code labelValues(..).inc()} as the baseline.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar BusinessCounter -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BusinessCounterBenchmark {

  private Inferwatch iw;
  private DomainCounter orders;
  private Counter raw;

  /** One instance with the family defined, and the same family raw on another registry. */
  @Setup(Level.Trial)
  public void setUp() {
    iw = Isolated.inferwatch().build();
    orders = iw.business().counter("orders_total", "Orders placed", "channel");
    raw =
        Counter.builder()
            .name("orders_total")
            .help("Orders placed")
            .labelNames("channel")
            .register(new PrometheusRegistry());
  }

  /** {@code iw.business().counter(...).increment("web")} as written inline in host code. */
  @Benchmark
  public void oneLiner() {
    iw.business().counter("orders_total", "Orders placed", "channel").increment("web");
  }

  /** The same increment on a handle the host kept. */
  @Benchmark
  public void heldHandle() {
    orders.increment("web");
  }

  /** client_java directly: the label lookup and increment the helper wraps. */
  @Benchmark
  public void rawLabelValues() {
    raw.labelValues("web").inc();
  }
}
