package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A quick cost figure, printed to the test output: one poll of the 2 fake devices through the real
 * JNA binding, and a text scrape with and without the GPU families. Bounds are loose sanity checks
 * (the build machine is shared); the benchmarks module holds the JMH numbers.
 */
class GpuCostTest {

  private static final int ROUNDS = 5;

  @Test
  void onePollAndTheScrapeWithGpuFamiliesStayCheap() throws Exception {
    String reason = FakeDriver.unavailableReason();
    assumeThat(reason).as(String.valueOf(reason)).isNull();
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);

    PrometheusRegistry withGpu = new PrometheusRegistry();
    PrometheusRegistry withoutGpu = new PrometheusRegistry();
    GpuModule module =
        GpuModule.builder()
            .library(driver.library.toString())
            .interval(Duration.ofHours(1))
            .build();
    try (Inferwatch gpu = build(withGpu).module(module).build();
        Inferwatch plain = build(withoutGpu).build()) {
      assertThat(module.poller().awaitFirstPoll(Duration.ofSeconds(30))).isTrue();
      traffic(gpu);
      traffic(plain);

      double pollMicros = fastest(2_000, () -> module.poller().poll());
      Samples gpuSamples = new Samples(withGpu);
      Samples plainSamples = new Samples(withoutGpu);
      double scrapeGpuMicros = Double.MAX_VALUE;
      double scrapePlainMicros = Double.MAX_VALUE;
      // Interleaved, so that load from other builds on the machine hits both alike.
      for (int r = 0; r < 3; r++) {
        scrapeGpuMicros = Math.min(scrapeGpuMicros, fastest(50, gpuSamples::text));
        scrapePlainMicros = Math.min(scrapePlainMicros, fastest(50, plainSamples::text));
      }

      System.out.printf(
          "GPU cost: one poll of 2 fake devices %.1f us; text scrape %.1f us with GPU families,"
              + " %.1f us without (+%.1f us, x%.2f)%n",
          pollMicros,
          scrapeGpuMicros,
          scrapePlainMicros,
          scrapeGpuMicros - scrapePlainMicros,
          scrapeGpuMicros / scrapePlainMicros);
      assertThat(pollMicros).isLessThan(20_000);
      assertThat(scrapeGpuMicros).isLessThan(50_000);
    }
  }

  private static Inferwatch.Builder build(PrometheusRegistry registry) {
    return Inferwatch.builder()
        .registry(registry)
        .jvmMetrics(false)
        .discoverModules(false)
        .service("bench")
        .environment("test");
  }

  /** 20 routes × 2 statuses of HTTP series, so the scrape has a realistic base to compare to. */
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

  /** The fastest round's mean µs per call, after a warm-up round: the least disturbed figure. */
  private static double fastest(int calls, Runnable action) {
    double[] rounds = new double[ROUNDS];
    for (int i = 0; i < calls; i++) {
      action.run();
    }
    for (int r = 0; r < ROUNDS; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        action.run();
      }
      rounds[r] = (System.nanoTime() - start) / 1e3 / calls;
    }
    Arrays.sort(rounds);
    return rounds[0];
  }
}
