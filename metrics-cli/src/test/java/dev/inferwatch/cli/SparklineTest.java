package dev.inferwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparklineTest {

  @Test
  void scalesFromZeroToTheLargestValueAndLeavesUnknownPointsBlank() throws Exception {
    var points = Endpoint.JSON.readTree("[[1,0],[2,2],[3,null],[4,4],[5,8]]");
    assertThat(Sparkline.of(points, 10)).isEqualTo("▁▃ ▅█");
    assertThat(Sparkline.of(points, 2)).isEqualTo("▅█");
    assertThat(Sparkline.last(points)).isEqualTo(8.0);
    assertThat(Sparkline.of(Endpoint.JSON.readTree("[[1,0],[2,0]]"), 5)).isEqualTo("▁▁");
  }
}
