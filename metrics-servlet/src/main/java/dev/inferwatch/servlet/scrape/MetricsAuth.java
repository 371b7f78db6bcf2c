package dev.inferwatch.servlet.scrape;

import dev.inferwatch.core.Settings;
import dev.inferwatch.servlet.internal.JsonBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Optional protection of the metrics endpoints: HTTP basic (user and password), a bearer token, or
 * both. Credentials are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time
 * taken says nothing about how much of a guess was right, nor about the secret's length.
 *
 * <pre>{@code
 * new MetricsServlet(iw, MetricsAuth.bearer(System.getenv("SCRAPE_TOKEN")));
 * }</pre>
 *
 * <p>From configuration: {@code INFERWATCH_METRICS_USER} + {@code INFERWATCH_METRICS_PASSWORD},
 * and/or {@code INFERWATCH_METRICS_TOKEN} (or context parameters {@code inferwatch.metrics.user}
 * …). A refused request gets 401 with a {@code WWW-Authenticate} challenge.
 */
public final class MetricsAuth {

  /** The realm named in the challenge. */
  public static final String REALM = "inferwatch";

  private static final MetricsAuth NONE = new MetricsAuth(null, null);

  private final byte[] basicDigest;
  private final byte[] bearerDigest;

  private MetricsAuth(byte[] basicDigest, byte[] bearerDigest) {
    this.basicDigest = basicDigest;
    this.bearerDigest = bearerDigest;
  }

  /** No protection: every request is served. */
  public static MetricsAuth none() {
    return NONE;
  }

  /** HTTP basic with one user. */
  public static MetricsAuth basic(String user, String password) {
    return new MetricsAuth(digest(credentials(user, password)), null);
  }

  /** {@code Authorization: Bearer <token>}. */
  public static MetricsAuth bearer(String token) {
    return new MetricsAuth(null, digest(secret("token", token)));
  }

  /** This protection, also accepting {@code token} as a bearer token. */
  public MetricsAuth orBearer(String token) {
    return new MetricsAuth(basicDigest, digest(secret("token", token)));
  }

  /**
   * From {@code METRICS_USER}/{@code METRICS_PASSWORD} and {@code METRICS_TOKEN}; none if unset.
   */
  static MetricsAuth fromSettings(Settings settings) {
    String user = settings.get("METRICS_USER");
    String password = settings.get("METRICS_PASSWORD");
    String token = settings.get("METRICS_TOKEN");
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException(
          "INFERWATCH_METRICS_USER and INFERWATCH_METRICS_PASSWORD must be set together");
    }
    MetricsAuth auth = user != null ? basic(user, password) : NONE;
    return token != null ? auth.orBearer(token) : auth;
  }

  /** Whether any credential is required. */
  public boolean enabled() {
    return basicDigest != null || bearerDigest != null;
  }

  /**
   * Lets the request through (true), or answers 401 with the challenge and returns false.
   *
   * @throws IOException when the refusal cannot be written
   */
  boolean admit(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!enabled() || accepts(request.getHeader("Authorization"))) {
      return true;
    }
    if (basicDigest != null) {
      response.addHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    }
    if (bearerDigest != null) {
      response.addHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
    }
    JsonBody.error(response, 401, "unauthorized", "metrics need credentials");
    return false;
  }

  /** Whether {@code authorization} (the header value) carries valid credentials. */
  boolean accepts(String authorization) {
    if (authorization == null) {
      return false;
    }
    int space = authorization.indexOf(' ');
    if (space < 0) {
      return false;
    }
    String scheme = authorization.substring(0, space);
    String value = authorization.substring(space + 1).trim();
    if (basicDigest != null && scheme.equalsIgnoreCase("Basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return false;
      }
      return MessageDigest.isEqual(basicDigest, digest(decoded));
    }
    if (bearerDigest != null && scheme.equalsIgnoreCase("Bearer")) {
      return MessageDigest.isEqual(bearerDigest, digest(value));
    }
    return false;
  }

  static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String credentials(String user, String password) {
    String u = secret("user", user);
    if (u.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a basic-auth user must not contain ':'");
    }
    return u + ":" + secret("password", password);
  }

  private static String secret(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("metrics auth " + what + " must not be empty");
    }
    return value;
  }
}
