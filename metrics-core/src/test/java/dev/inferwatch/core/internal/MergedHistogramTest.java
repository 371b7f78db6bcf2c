package dev.inferwatch.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MergedHistogramTest {

  private static Histogram.Builder http() {
    return Histogram.builder()
        .name("t_seconds")
        .labelNames("route")
        .classicUpperBounds(Buckets.HTTP_SECONDS);
  }

  private static MergedHistogram merge(Histogram histogram) {
    MergedHistogram merged = new MergedHistogram();
    for (HistogramDataPointSnapshot p : histogram.collect().getDataPoints()) {
      merged.add(p);
    }
    return merged;
  }

  @Test
  void nativeQuantilesOfASteadyDelayStayWithinTwoPercentWhereClassicBucketsAreFarOff() {
    Histogram histogram = http().build();
    Random random = new Random(7);
    double[] values = new double[10_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = 0.120 + random.nextDouble() * 0.006; // 120..126 ms, as /slow?ms=120 under load
      histogram.labelValues("/slow").observe(values[i]);
    }
    Arrays.sort(values);
    MergedHistogram merged = merge(histogram);

    assertThat(merged.source()).isEqualTo(MergedHistogram.NATIVE);
    assertThat(merged.quantile(0.5)).isCloseTo(values[4999], within(values[4999] * 0.02));
    assertThat(merged.quantile(0.9)).isCloseTo(values[8999], within(values[8999] * 0.02));
    assertThat(merged.count()).isEqualTo(10_000);

    Histogram classicOnly = http().classicOnly().build();
    for (double v : values) {
      classicOnly.labelValues("/slow").observe(v);
    }
    MergedHistogram classic = merge(classicOnly);
    assertThat(classic.source()).isEqualTo(MergedHistogram.CLASSIC);
    // Interpolated inside (0.1, 0.25]: the 43 % error the native buckets remove.
    assertThat(classic.quantile(0.5)).isCloseTo(0.175, within(0.001));
  }

  @Test
  void seriesWithDifferentSchemasMergeAtTheCoarserOne() {
    Histogram fine = http().nativeInitialSchema(5).build();
    Histogram coarse = http().nativeInitialSchema(2).build();
    for (int i = 0; i < 1000; i++) {
      fine.labelValues("/a").observe(0.010);
      coarse.labelValues("/b").observe(0.100);
    }
    MergedHistogram merged = new MergedHistogram();
    merged.add(fine.collect().getDataPoints().get(0));
    merged.add(coarse.collect().getDataPoints().get(0));

    assertThat(merged.source()).isEqualTo(MergedHistogram.NATIVE);
    // Schema 2 buckets are 19 % wide: each quantile lands in its value's bucket.
    assertThat(merged.quantile(0.25)).isBetween(0.010 / 1.19, 0.010 * 1.19);
    assertThat(merged.quantile(0.75)).isBetween(0.100 / 1.19, 0.100 * 1.19);
  }

  @Test
  void aSeriesWithoutNativeBucketsTurnsTheMergeClassic() {
    Histogram nativeToo = http().build();
    Histogram classicOnly = http().classicOnly().build();
    nativeToo.labelValues("/a").observe(0.2);
    classicOnly.labelValues("/b").observe(0.2);
    MergedHistogram merged = new MergedHistogram();
    merged.add(nativeToo.collect().getDataPoints().get(0));
    merged.add(classicOnly.collect().getDataPoints().get(0));

    assertThat(merged.source()).isEqualTo(MergedHistogram.CLASSIC);
    assertThat(merged.quantile(0.5)).isBetween(0.1, 0.25);
  }

  @Test
  void sinceGivesTheQuantilesOfWhatWasObservedInBetween() {
    Histogram histogram = http().build();
    for (int i = 0; i < 1000; i++) {
      histogram.labelValues("/a").observe(0.010);
    }
    MergedHistogram before = merge(histogram);
    for (int i = 0; i < 100; i++) {
      histogram.labelValues("/a").observe(2.0);
    }
    MergedHistogram delta = merge(histogram).since(before);

    assertThat(delta.count()).isEqualTo(100);
    assertThat(delta.sum()).isCloseTo(200.0, within(1e-6));
    assertThat(delta.quantile(0.5)).isCloseTo(2.0, within(2.0 * 0.03));
    assertThat(new MergedHistogram().since(before).count()).isZero();
  }

  @Test
  void noObservationsHaveNoQuantile() {
    HistogramSnapshot empty = http().build().collect();
    assertThat(empty.getDataPoints()).isEmpty();
    assertThat(new MergedHistogram().quantile(0.5)).isNull();
  }
}
