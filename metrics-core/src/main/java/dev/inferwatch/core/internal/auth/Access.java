package dev.inferwatch.core.internal.auth;

import dev.inferwatch.core.Settings;
import dev.inferwatch.core.SettingsException;

/**
 * Who may see what, for one {@code Inferwatch}: the metrics credentials guard the exposition, the
 * JSON snapshot, system details and the management port; admin actions (model reload) take those or
 * the separate admin token.
 *
 * <p>With no metrics credentials configured everything is open, as before; with them, the probes
 * that stay open answer status only (no versions, paths or sizes).
 */
public final class Access {

  private static final Access OPEN = new Access(Credentials.none(), Credentials.none());

  private final Credentials metrics;
  private final Credentials admin;

  private Access(Credentials metrics, Credentials admin) {
    this.metrics = metrics;
    this.admin = admin;
  }

  /** Nothing configured: every endpoint open. */
  public static Access open() {
    return OPEN;
  }

  /** {@code metrics} for reading; for admin actions, those or {@code adminOnly}. */
  public static Access of(Credentials metrics, Credentials adminOnly) {
    Credentials admin = metrics.or(adminOnly);
    return metrics.enabled() || admin.enabled() ? new Access(metrics, admin) : OPEN;
  }

  /**
   * From {@code METRICS_USER} + {@code METRICS_PASSWORD} (basic), {@code METRICS_TOKEN} (bearer)
   * and {@code ADMIN_TOKEN}; open when none is set.
   *
   * @throws SettingsException when only one of user and password is set, or the user holds ':'
   */
  public static Access fromSettings(Settings settings) {
    String user = settings.get("METRICS_USER");
    String password = settings.get("METRICS_PASSWORD");
    if ((user == null) != (password == null)) {
      String missing = user == null ? "METRICS_USER" : "METRICS_PASSWORD";
      String given = user == null ? "METRICS_PASSWORD" : "METRICS_USER";
      throw new SettingsException(
          settings.variable(missing),
          null,
          "required when " + settings.variable(given) + " is set");
    }
    Credentials metrics =
        user == null
            ? Credentials.none()
            : settings.get(
                "METRICS_USER",
                Credentials.none(),
                u -> Credentials.basic(u, password),
                "not a user name without ':'");
    String token = settings.get("METRICS_TOKEN");
    if (token != null) {
      metrics = metrics.orBearer(token);
    }
    String admin = settings.get("ADMIN_TOKEN");
    return of(metrics, admin == null ? Credentials.none() : Credentials.bearer(admin));
  }

  /** Metrics, the JSON snapshot, {@code /info}, detailed health and the management port. */
  public Credentials metrics() {
    return metrics;
  }

  /** Admin actions such as {@code POST /health/model/reload}. */
  public Credentials admin() {
    return admin;
  }

  /** Whether reading is protected (then open probes answer status only). */
  public boolean protectsDetails() {
    return metrics.enabled();
  }

  @Override
  public String toString() {
    return "access(metrics: " + metrics + ", admin: " + admin + ")";
  }
}
