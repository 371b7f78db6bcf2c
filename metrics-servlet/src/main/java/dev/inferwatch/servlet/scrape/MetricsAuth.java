package dev.inferwatch.servlet.scrape;

import dev.inferwatch.core.internal.auth.Credentials;

/**
 * Protection of one {@link MetricsServlet} that differs from its instance's: HTTP basic (user and
 * password), a bearer token, or both. The check is the kit's one credential check ({@link
 * Credentials}): secrets are compared as SHA-256 digests in constant time.
 *
 * <pre>{@code
 * new MetricsServlet(iw, MetricsAuth.bearer(System.getenv("SCRAPE_TOKEN")));
 * }</pre>
 *
 * <p>Usually there is no need for it: credentials set on the instance ({@code
 * INFERWATCH_METRICS_USER} + {@code INFERWATCH_METRICS_PASSWORD}, {@code INFERWATCH_METRICS_TOKEN},
 * or {@code Inferwatch.builder().metricsToken(..)}) protect the metrics, the details endpoints and
 * the management port alike. A refused request gets 401 with a {@code WWW-Authenticate} challenge.
 */
public final class MetricsAuth {

  /** The realm named in the challenge. */
  public static final String REALM = Credentials.REALM;

  private static final MetricsAuth NONE = new MetricsAuth(Credentials.none());

  private final Credentials credentials;

  private MetricsAuth(Credentials credentials) {
    this.credentials = credentials;
  }

  /** No protection: every request is served. */
  public static MetricsAuth none() {
    return NONE;
  }

  /** HTTP basic with one user. */
  public static MetricsAuth basic(String user, String password) {
    return new MetricsAuth(Credentials.basic(user, password));
  }

  /** {@code Authorization: Bearer <token>}. */
  public static MetricsAuth bearer(String token) {
    return new MetricsAuth(Credentials.bearer(token));
  }

  /** This protection, also accepting {@code token} as a bearer token. */
  public MetricsAuth orBearer(String token) {
    return new MetricsAuth(credentials.orBearer(token));
  }

  /** Whether any credential is required. */
  public boolean enabled() {
    return credentials.enabled();
  }

  Credentials credentials() {
    return credentials;
  }

  /** Whether {@code authorization} (the header value) carries valid credentials. */
  boolean accepts(String authorization) {
    return credentials.accepts(authorization);
  }
}
