package dev.inferwatch.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void linearPassesWhenTheCostPerUnitOfWorkStaysWithinTheTolerance() {
    Target scrape =
        Target.linear("scrape", "S.scrape:series=100000", "S.scrape:series=1000", "1k", 100, 0.25);

    assertThat(scrape.passes(120, 120 / (1.0 * 100), 1.0)).isTrue();
    assertThat(scrape.passes(124, 1.24, 1.0)).isTrue();
    assertThat(scrape.passes(126, 1.26, 1.0)).isFalse();
    assertThat(scrape.passes(74, 0.74, 1.0)).isFalse();
    assertThat(scrape.describe()).isEqualTo("per unit of work within ±25%");
  }

  @Test
  void allocationAtMostBaselinePassesUpToTheBaselinesBytes() {
    Target allocation = Target.allocationAtMostBaseline("alloc", "F.filter", 1, "F.raw", "raw");

    assertThat(allocation.metric()).isEqualTo(Target.ALLOCATION);
    assertThat(allocation.passes(32, Double.NaN, 56)).isTrue();
    assertThat(allocation.passes(56.5, Double.NaN, 56)).isTrue();
    assertThat(allocation.passes(64, Double.NaN, 56)).isFalse();
  }

  @Test
  void everyRowOfTheTableHasAUniqueName() {
    assertThat(Targets.ALL).extracting(Target::name).doesNotHaveDuplicates();
    assertThat(Targets.ALL)
        .hasSize(Targets.KIT.size() + PeerTargets.ALL.size() + GrowthTargets.ALL.size());
  }
}
