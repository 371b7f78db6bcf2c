package dev.inferwatch.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MicrosHistogramTest {

  @Test
  void isExactBelowOneMillisecond() {
    MicrosHistogram histogram = new MicrosHistogram();
    for (int micros = 1; micros <= 1000; micros++) {
      histogram.record(micros);
    }
    assertThat(histogram.count()).isEqualTo(1000);
    assertThat(histogram.percentile(0.5)).isEqualTo(500);
    assertThat(histogram.percentile(0.99)).isEqualTo(990);
    assertThat(histogram.percentile(1.0)).isEqualTo(1000);
  }

  @Test
  void staysWithinTwoPercentAboveOneMillisecond() {
    for (long micros : new long[] {1_024, 1_100, 5_000, 99_999, 3_600_000, 100_000_000}) {
      MicrosHistogram histogram = new MicrosHistogram();
      histogram.record(micros);
      assertThat((double) histogram.percentile(0.99)).isCloseTo(micros, within(micros * 0.016));
      assertThat(histogram.percentile(0.99)).isLessThanOrEqualTo(micros);
    }
  }

  @Test
  void addsAnotherHistogramBucketByBucket() {
    MicrosHistogram a = new MicrosHistogram();
    MicrosHistogram b = new MicrosHistogram();
    a.record(10);
    b.record(20);
    b.record(30);
    a.add(b);
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.percentile(0.34)).isEqualTo(20);
  }
}
