package dev.inferwatch.gpu;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.inferwatch.benchmarks.Isolated;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.HttpMethod;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
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
 * {@code libnvidia-ml.so} of {@code metrics-gpu/src/test/native} ({@code run.sh} compiles it with
 * gcc and names it in {@code INFERWATCH_BENCH_NVML}) with everything on: 8 devices, every reading
 * supported, MIG on with 2 instances each, this process and a foreign one in every instance's
 * process list, throttling, ECC and remapped rows set, and the XID thread waiting; and what the GPU
 * families add to a text scrape next to 40 HTTP series. It lives in the GPU package because the
 * poll it times is package-private: hosts never call it, the poller thread does.
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
  static final int FAKE_DEVICES = 8;

  /** MIG instances on every device. */
  static final int MIG_INSTANCES = 2;

  /** The fake driver's control functions (see fake_nvml.c). */
  public interface FakeControl extends Library {
    /** Resets every value to its default. */
    void fake_reset();

    /** Sets a value of device {@code device}, or a global one when it is -1. */
    int fake_set(int device, String key, long value);

    /** Lists a compute process on {@code device}. */
    int fake_process(int device, int pid, long bytes, int gpuInstance);
  }

  /** Environment variable naming the compiled fake driver. */
  static final String LIBRARY_ENV = "INFERWATCH_BENCH_NVML";

  private GpuModule module;
  // Held for the trial: once JNA's proxy is unreachable, a GC may dlclose the fake, and the
  // module's
  // own load would then run its constructor again and start from the defaults (2 devices, no MIG).
  private FakeControl fake;
  private Nvml nvml;
  private Pointer device;
  private final IntByReference milliwatts = new IntByReference();
  private Inferwatch withGpu;
  private Inferwatch withoutGpu;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /** Starts one instance with the GPU module over the fake driver, one without, same traffic. */
  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    String named = System.getenv(LIBRARY_ENV);
    if (named == null || named.isBlank()) {
      throw new IllegalStateException(
          LIBRARY_ENV + " is not set: run benchmarks/run.sh, which compiles the fake driver");
    }
    // JNA takes a path with a slash as a name to search for unless it is absolute.
    String library = Path.of(named).toAbsolutePath().toString();
    fake = Native.load(library, FakeControl.class);
    everythingOn(fake);
    // A poll interval of an hour: the benchmark thread does every poll after the first.
    module = GpuModule.builder().library(library).interval(Duration.ofHours(1)).build();
    withGpu = Isolated.inferwatch().module(module).build();
    withoutGpu = Isolated.inferwatch().build();
    if (!module.poller().awaitFirstPoll(Duration.ofSeconds(30))) {
      throw new IllegalStateException("the fake NVML at " + library + " did not answer a poll");
    }
    GpuSnapshot first = module.snapshot();
    if (first.devices().size() != FAKE_DEVICES
        || first.devices().get(FAKE_DEVICES - 1).instances().size() != MIG_INSTANCES
        || first.devices().get(0).clockEventReasons() == null
        || module.poller().xids() == null) {
      throw new IllegalStateException("the fake NVML at " + library + " is not fully on: " + first);
    }
    traffic(withGpu);
    traffic(withoutGpu);
    // A second binding of the same library, already initialised by the module: the baseline.
    nvml = NvmlLoader.load(library).nvml();
    PointerByReference handle = new PointerByReference();
    check(nvml.nvmlDeviceGetHandleByIndex_v2(0, handle));
    device = handle.getValue();
  }

  private static void everythingOn(FakeControl fake) {
    fake.fake_reset();
    check(fake.fake_set(-1, "devices", FAKE_DEVICES));
    int pid = (int) ProcessHandle.current().pid();
    for (int d = 0; d < FAKE_DEVICES; d++) {
      check(fake.fake_set(d, "mig", MIG_INSTANCES));
      check(fake.fake_set(d, "reasons", 0x44));
      check(fake.fake_set(d, "ecc_uncorrected", 1));
      check(fake.fake_set(d, "remap_pending", 1));
      for (int gi = 1; gi <= MIG_INSTANCES; gi++) {
        check(fake.fake_process(d, 4_000_000 + gi, 1L << 30, gi));
        check(fake.fake_process(d, pid, 256L << 20, gi));
      }
    }
  }

  private static void check(int rc) {
    if (rc != 0) {
      throw new IllegalStateException("the fake NVML refused a setting");
    }
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

  /** One NVML call (power usage) through the same JNA binding: what each reading costs at least. */
  @Benchmark
  public int oneNvmlCall() {
    return nvml.nvmlDeviceGetPowerUsage(device, milliwatts) + milliwatts.getValue();
  }

  /** A text scrape of the HTTP series plus the GPU families of 8 devices. */
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
