package dev.inferwatch.core.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pins the derived health score and 24-hour uptime on synthetic outcome sequences. */
class ProviderHealthTest {

  private static final long SECOND = 1_000_000_000L;
  private long now = 1_000 * SECOND;

  private void record(ProviderHealth health, ProviderOutcome outcome, int times) {
    for (int i = 0; i < times; i++) {
      health.outcome(now, outcome);
    }
  }

  @Test
  void allOkAndFastScoresOneHundred() {
    ProviderHealth health = new ProviderHealth();
    record(health, ProviderOutcome.OK, 10);
    health.responseTime(now, Duration.ofMillis(300).toNanos());
    assertThat(health.score(now)).isEqualTo(1.0);
  }

  @Test
  void failuresLowerAvailabilityAndDegradedCountsHalf() {
    ProviderHealth health = new ProviderHealth();
    record(health, ProviderOutcome.OK, 6);
    record(health, ProviderOutcome.DEGRADED, 2);
    record(health, ProviderOutcome.FAILED, 1);
    record(health, ProviderOutcome.FAILED_MIDSTREAM, 1);
    // (6 + 0.5 × 2) / 10 = 0.7
    assertThat(health.score(now)).isCloseTo(0.70, within(1e-9));
  }

  @Test
  void skipsAreTheRoutersDecisionAndDoNotCount() {
    ProviderHealth health = new ProviderHealth();
    record(health, ProviderOutcome.OK, 3);
    record(health, ProviderOutcome.FAILED, 1);
    record(health, ProviderOutcome.SKIPPED_PAID, 50);
    record(health, ProviderOutcome.SKIPPED_UNHEALTHY, 50);
    assertThat(health.score(now)).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void meanLatencyAboveTheTargetScalesTheScoreDown() {
    ProviderHealth health = new ProviderHealth();
    record(health, ProviderOutcome.OK, 4);
    health.responseTime(now, Duration.ofSeconds(2).toNanos());
    health.responseTime(now, Duration.ofSeconds(6).toNanos());
    // mean 4 s against a 2 s target halves the score
    assertThat(health.score(now)).isCloseTo(0.50, within(1e-6));
    assertThat(ProviderHealth.score(1, 0, 1, 1, 8.0)).isCloseTo(0.125, within(1e-9));
  }

  @Test
  void noTrafficIsUnknownNotZero() {
    ProviderHealth health = new ProviderHealth();
    assertThat(health.score(now)).isNaN();
    record(health, ProviderOutcome.SKIPPED_UNHEALTHY, 5);
    assertThat(health.score(now)).isNaN();
  }

  @Test
  void outcomesOlderThanTheWindowDecayAway() {
    ProviderHealth health = new ProviderHealth();
    record(health, ProviderOutcome.FAILED, 10);
    now += 4 * 60 * SECOND;
    record(health, ProviderOutcome.OK, 10);
    assertThat(health.score(now)).isCloseTo(0.50, within(1e-9));
    now += 90 * SECOND; // the failures' slot has left the 5-minute window
    assertThat(health.score(now)).isEqualTo(1.0);
    now += ProviderHealth.WINDOW.toNanos();
    assertThat(health.score(now)).isNaN();
  }

  @Test
  void uptimeIsTheShareOfAttemptsThatAnsweredOverTwentyFourHours() {
    ModelUptime uptime = new ModelUptime("m");
    assertThat(uptime.ratio(now)).isNaN();
    for (int hour = 0; hour < 24; hour++) {
      uptime.outcome(now, hour < 6 ? ProviderOutcome.FAILED : ProviderOutcome.OK);
      uptime.outcome(now, ProviderOutcome.DEGRADED);
      uptime.outcome(now, ProviderOutcome.SKIPPED_PAID);
      now += 3600 * SECOND;
    }
    now -= 3600 * SECOND;
    // 48 attempts, 6 failed
    assertThat(uptime.ratio(now)).isCloseTo(42.0 / 48, within(1e-12));
    now += 6 * 3600 * SECOND; // the six failing hours roll out
    assertThat(uptime.ratio(now)).isEqualTo(1.0);
    now += 24 * 3600 * SECOND;
    assertThat(uptime.ratio(now)).isNaN();
  }

  @Test
  void slotsRollOverWithoutMixingOldCounts() {
    SlidingCounts counts = new SlidingCounts(3, SECOND, 1);
    counts.add(0, 0, 5);
    counts.add(SECOND, 0, 7);
    counts.add(3 * SECOND, 0, 1); // reuses slot 0's cell
    assertThat(counts.sums(3 * SECOND)[0]).isEqualTo(8);
    assertThat(counts.sums(2 * SECOND)[0]).isEqualTo(7);
    counts.add(0, 0, 100); // a sample from a slot already reused is dropped
    assertThat(counts.sums(3 * SECOND)[0]).isEqualTo(8);
    assertThat(counts.sums(-5 * SECOND)[0]).isZero();
  }
}
