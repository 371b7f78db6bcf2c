package dev.inferwatch.core.business;

/** What a {@link DomainFlag} definition that failed hands out: records nothing. */
final class NoopDomainFlag implements DomainFlag {

  static final NoopDomainFlag INSTANCE = new NoopDomainFlag();

  private NoopDomainFlag() {}

  @Override
  public void set(boolean up) {}
}
