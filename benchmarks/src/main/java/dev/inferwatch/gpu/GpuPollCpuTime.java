package dev.inferwatch.gpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The GPU poll of {@link GpuPollBenchmark} timed in this thread's CPU time rather than wall time:
 * on a machine shared with other builds, JMH's wall-clock figure mostly measures waiting for a
 * core, while the CPU time is what the poller thread actually costs. Prints the median of 8 rounds
 * (after 2 warm-up rounds) per device, next to one NVML call through the same binding.
 *
 * <pre>{@code
 * INFERWATCH_BENCH_NVML=benchmarks/target/fake-nvml/libnvidia-ml.so.1 \
 *     java -cp benchmarks/target/benchmarks.jar dev.inferwatch.gpu.GpuPollCpuTime
 * }</pre>
 */
public final class GpuPollCpuTime {

  private static final int ROUNDS = 8;
  private static final int WARMUP = 2;
  private static final int POLLS = 20_000;
  private static final int CALLS = 200_000;

  private GpuPollCpuTime() {}

  /** Runs the rounds and prints the medians; exits 1 above the 50 µs budget per device. */
  public static void main(String[] args) throws Exception {
    GpuPollBenchmark bench = new GpuPollBenchmark();
    bench.setUp();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[] poll = new double[ROUNDS];
    double[] call = new double[ROUNDS];
    try {
      for (int round = -WARMUP; round < ROUNDS; round++) {
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < POLLS; i++) {
          bench.pollPerDevice();
        }
        long polled = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < CALLS; i++) {
          bench.oneNvmlCall();
        }
        long called = cpu.getCurrentThreadCpuTime();
        if (round >= 0) {
          poll[round] = (polled - start) / 1e3 / POLLS / GpuPollBenchmark.FAKE_DEVICES;
          call[round] = (called - polled) / 1e3 / CALLS;
        }
      }
    } finally {
      bench.tearDown();
    }
    Arrays.sort(poll);
    Arrays.sort(call);
    double pollMedian = poll[ROUNDS / 2];
    double callMedian = call[ROUNDS / 2];
    System.out.printf(
        Locale.ROOT,
        "GPU poll per device (CPU time, %d devices, everything on): %.1f us;"
            + " one NVML call: %.3f us; ratio %.1f; budget 50 us: %s%n",
        GpuPollBenchmark.FAKE_DEVICES,
        pollMedian,
        callMedian,
        pollMedian / callMedian,
        pollMedian <= 50 ? "pass" : "FAIL");
    System.exit(pollMedian <= 50 ? 0 : 1);
  }
}
