package dev.inferwatch.core.health;

import java.util.Locale;

/** The probe a health check answers for, as Kubernetes defines them. */
public enum HealthGroup {
  /** Is the process alive at all; never depends on anything outside the process. */
  LIVENESS,
  /** May the process take traffic now. */
  READINESS,
  /** Has the process finished starting (models loaded, {@link HealthRegistry#markStarted()}). */
  STARTUP;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The {@code group} label value: {@code liveness}, {@code readiness} or {@code startup}. */
  public String label() {
    return label;
  }
}
