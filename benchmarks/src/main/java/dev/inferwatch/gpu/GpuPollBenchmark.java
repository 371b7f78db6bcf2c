package dev.inferwatch.gpu;

import dev.inferwatch.benchmarks.Isolated;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.HttpMethod;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one GPU poll costs the poller thread, per device, through the real JNA binding over the fake
 * {@code libnvidia-ml.so} of {@code metrics-gpu/src/test/native} (2 devices; {@code run.sh}
 * compiles it with gcc and names it in {@code INFERWATCH_BENCH_NVML}); and what the GPU families
 * add to a text scrape next to 40 HTTP series. It lives in the GPU package because the poll it
 * times is package-private: hosts never call it, the poller thread does.
 *
 * <pre>{@code
 * INFERWATCH_BENCH_NVML=/path/libnvidia-ml.so.1 java -jar benchmarks/target/benchmarks.jar GpuPoll
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GpuPollBenchmark {

  /** Devices the fake driver exposes; the poll figure is divided by it. */
  static final int FAKE_DEVICES = 2;

  /** Environment variable naming the compiled fake driver. */
  static final String LIBRARY_ENV = "INFERWATCH_BENCH_NVML";

  private GpuModule module;
  private Inferwatch withGpu;
  private Inferwatch withoutGpu;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /** Starts one instance with the GPU module over the fake driver, one without, same traffic. */
  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    String library = System.getenv(LIBRARY_ENV);
    if (library == null || library.isBlank()) {
      throw new IllegalStateException(
          LIBRARY_ENV + " is not set: run benchmarks/run.sh, which compiles the fake driver");
    }
    // A poll interval of an hour: the benchmark thread does every poll after the first.
    module = GpuModule.builder().library(library).interval(Duration.ofHours(1)).build();
    withGpu = Isolated.inferwatch().module(module).build();
    withoutGpu = Isolated.inferwatch().build();
    if (!module.poller().awaitFirstPoll(Duration.ofSeconds(30))) {
      throw new IllegalStateException("the fake NVML at " + library + " did not answer a poll");
    }
    if (module.snapshot().devices().size() != FAKE_DEVICES) {
      throw new IllegalStateException("expected " + FAKE_DEVICES + " fake devices at " + library);
    }
    traffic(withGpu);
    traffic(withoutGpu);
  }

  /** 20 routes × 2 statuses, the base the GPU families are added to. */
  private static void traffic(Inferwatch iw) {
    for (int route = 0; route < 20; route++) {
      for (int status : new int[] {200, 500}) {
        iw.http()
            .finished(
                HttpMethod.of("GET"),
                iw.routes().explicit("/api/r" + route),
                status,
                1_000_000L * route);
      }
    }
  }

  /** Closes both instances; the GPU module shuts the fake NVML down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    withGpu.close();
    withoutGpu.close();
  }

  /** One poll of every device and the snapshot swap, reported per device. */
  @Benchmark
  @OperationsPerInvocation(FAKE_DEVICES)
  public GpuSnapshot pollPerDevice() {
    module.poller().poll();
    return module.snapshot();
  }

  /** A text scrape of the HTTP series plus the GPU families of 2 devices. */
  @Benchmark
  public int scrapeWithGpu() throws IOException {
    return scrape(withGpu);
  }

  /** The same scrape without the GPU module: the baseline. */
  @Benchmark
  public int scrapeWithoutGpu() throws IOException {
    return scrape(withoutGpu);
  }

  private int scrape(Inferwatch iw) throws IOException {
    out.reset();
    writer.write(out, iw.registry().scrape());
    return out.size();
  }
}
