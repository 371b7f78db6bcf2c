package dev.inferwatch.core.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The one credential check of the kit, container-neutral: an {@code Authorization} header in, a yes
 * or no out. HTTP basic (one user), bearer tokens, or both; the servlets and the management port
 * are thin adapters over it.
 *
 * <p>Secrets are kept and compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the
 * time a comparison takes says nothing about how much of a guess was right, nor about the secret's
 * length; every configured token is compared, whichever matches.
 *
 * <pre>{@code
 * Credentials c = Credentials.basic("prom", password).orBearer(token);
 * if (!c.accepts(request.getHeader("Authorization"))) { ... 401 with c.challenges() ... }
 * }</pre>
 */
public final class Credentials {

  /** The realm named in the challenges. */
  public static final String REALM = "inferwatch";

  private static final Credentials NONE = new Credentials(null, new byte[0][]);

  private final byte[] basicDigest;
  private final byte[][] bearerDigests;

  private Credentials(byte[] basicDigest, byte[][] bearerDigests) {
    this.basicDigest = basicDigest;
    this.bearerDigests = bearerDigests;
  }

  /** No protection: every request is let through. */
  public static Credentials none() {
    return NONE;
  }

  /** HTTP basic with one user; the user must not contain {@code ':'}. */
  public static Credentials basic(String user, String password) {
    String u = secret("user", user);
    if (u.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a basic-auth user must not contain ':'");
    }
    return new Credentials(digest(u + ":" + secret("password", password)), new byte[0][]);
  }

  /** {@code Authorization: Bearer <token>}. */
  public static Credentials bearer(String token) {
    return NONE.orBearer(token);
  }

  /** These credentials, also accepting {@code token} as a bearer token. */
  public Credentials orBearer(String token) {
    byte[][] bearers = Arrays.copyOf(bearerDigests, bearerDigests.length + 1);
    bearers[bearerDigests.length] = digest(secret("token", token));
    return new Credentials(basicDigest, bearers);
  }

  /** Accepts whatever these or {@code other} accept (the basic user of this one wins if both). */
  public Credentials or(Credentials other) {
    byte[][] bearers =
        Arrays.copyOf(bearerDigests, bearerDigests.length + other.bearerDigests.length);
    System.arraycopy(
        other.bearerDigests, 0, bearers, bearerDigests.length, other.bearerDigests.length);
    return new Credentials(basicDigest != null ? basicDigest : other.basicDigest, bearers);
  }

  /** Whether any credential is required. */
  public boolean enabled() {
    return basicDigest != null || bearerDigests.length > 0;
  }

  /**
   * Whether a request with this {@code Authorization} header value may pass: always when nothing is
   * configured, else only with a matching basic or bearer credential.
   */
  public boolean admits(String authorization) {
    return !enabled() || accepts(authorization);
  }

  /** Whether {@code authorization} (the header value) carries valid credentials. */
  public boolean accepts(String authorization) {
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
    if (bearerDigests.length > 0 && scheme.equalsIgnoreCase("Bearer")) {
      byte[] given = digest(value);
      boolean match = false;
      for (byte[] bearer : bearerDigests) {
        match |= MessageDigest.isEqual(bearer, given);
      }
      return match;
    }
    return false;
  }

  /** The {@code WWW-Authenticate} values a refusal carries, one per accepted scheme. */
  public List<String> challenges() {
    List<String> challenges = new ArrayList<>(2);
    if (basicDigest != null) {
      challenges.add("Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    }
    if (bearerDigests.length > 0) {
      challenges.add("Bearer realm=\"" + REALM + "\"");
    }
    return challenges;
  }

  /** The SHA-256 digest of {@code value} in UTF-8; 32 bytes whatever its length. */
  public static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String secret(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("auth " + what + " must not be empty");
    }
    return value;
  }

  @Override
  public String toString() {
    return enabled() ? "credentials " + challenges() : "no credentials";
  }
}
