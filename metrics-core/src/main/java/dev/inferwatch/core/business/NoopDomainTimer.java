package dev.inferwatch.core.business;

import java.time.Duration;

/** What a {@link DomainTimer} definition that failed hands out: records nothing. */
final class NoopDomainTimer implements DomainTimer {

  static final NoopDomainTimer INSTANCE = new NoopDomainTimer();

  private NoopDomainTimer() {}

  private static final Sample NOTHING = () -> {};

  @Override
  public Sample start(String... labelValues) {
    return NOTHING;
  }

  @Override
  public void record(Duration duration, String... labelValues) {}
}
