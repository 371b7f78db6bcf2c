package dev.inferwatch.core.business;

/** What a {@link DomainCounter} definition that failed hands out: records nothing. */
final class NoopDomainCounter implements DomainCounter {

  static final NoopDomainCounter INSTANCE = new NoopDomainCounter();

  private NoopDomainCounter() {}

  @Override
  public void incrementBy(double amount, String... labelValues) {}
}
