package dev.inferwatch.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The calls of {@link LangChain4jListenerBenchmark} timed in this thread's CPU time: on a machine
 * shared with other builds JMH's wall clock mostly measures waiting for a core. Interleaved rounds
 * (2 warm-up, 9 measured) of each case; prints the median per call in nanoseconds and its ratio to
 * {@code llm().call(..)} by hand. Garbage collection runs on other threads and is not counted (the
 * allocation per call is JMH's {@code -prof gc} figure).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.inferwatch.benchmarks.LangChain4jListenerCpuTime
 * }</pre>
 */
public final class LangChain4jListenerCpuTime {

  private static final int ROUNDS = 9;
  private static final int WARMUP = 2;
  private static final int CALLS = 200_000;

  private LangChain4jListenerCpuTime() {}

  /** Runs the rounds and prints the medians. */
  public static void main(String[] args) {
    LangChain4jListenerBenchmark bench = new LangChain4jListenerBenchmark();
    bench.setUp();
    Map<String, Runnable> cases = new LinkedHashMap<>();
    cases.put("llm().call(..) with usage, by hand", bench::byHand);
    cases.put("llm().call(..) + providers().startCall(..), by hand", bench::byHandWithProvider);
    cases.put("listener: onRequest + onResponse", bench::listenerCall);
    cases.put("16-chunk stream by hand", bench::streamByHand);
    cases.put(
        "16-chunk stream through timeChunks + LangChain4j chat(..)", bench::streamWithListener);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Map<String, double[]> nanos = new LinkedHashMap<>();
    cases.keySet().forEach(name -> nanos.put(name, new double[ROUNDS]));
    try {
      for (int round = -WARMUP; round < ROUNDS; round++) {
        for (Map.Entry<String, Runnable> c : cases.entrySet()) {
          Runnable call = c.getValue();
          long start = cpu.getCurrentThreadCpuTime();
          for (int i = 0; i < CALLS; i++) {
            call.run();
          }
          long took = cpu.getCurrentThreadCpuTime() - start;
          if (round >= 0) {
            nanos.get(c.getKey())[round] = (double) took / CALLS;
          }
        }
      }
    } finally {
      bench.tearDown();
    }
    double baseline = median(nanos.get("llm().call(..) with usage, by hand"));
    for (Map.Entry<String, double[]> e : nanos.entrySet()) {
      double m = median(e.getValue());
      System.out.printf(Locale.ROOT, "%-60s %8.1f ns CPU  %.2fx%n", e.getKey(), m, m / baseline);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
