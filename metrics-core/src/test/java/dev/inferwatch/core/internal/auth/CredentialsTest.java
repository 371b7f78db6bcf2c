package dev.inferwatch.core.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.Settings;
import dev.inferwatch.core.SettingsException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one credential check: the header in, a decision out, whichever adapter asks. */
class CredentialsTest {

  private static final String TOKEN = "s3cret-scrape-token";

  @Test
  void acceptsTheRightBasicOrBearerCredentialsAndNothingElse() {
    Credentials credentials = Credentials.basic("prom", "pa:ss").orBearer(TOKEN);
    assertThat(credentials.accepts(basic("prom", "pa:ss"))).isTrue();
    assertThat(credentials.accepts("Bearer " + TOKEN)).isTrue();
    assertThat(credentials.accepts("bearer " + TOKEN)).isTrue();
    assertThat(credentials.accepts(null)).isFalse();
    assertThat(credentials.accepts("Bearer " + TOKEN + "x")).isFalse();
    assertThat(credentials.accepts(basic("prom", "pa:sx"))).isFalse();
    assertThat(credentials.accepts("Basic !!!not-base64")).isFalse();
    assertThat(credentials.accepts("Digest x")).isFalse();
    assertThat(credentials.challenges())
        .containsExactly(
            "Basic realm=\"inferwatch\", charset=\"UTF-8\"", "Bearer realm=\"inferwatch\"");
  }

  @Test
  void nothingConfiguredAdmitsEveryoneAndChallengesNobody() {
    assertThat(Credentials.none().admits(null)).isTrue();
    assertThat(Credentials.none().challenges()).isEmpty();
    assertThat(Credentials.bearer(TOKEN).admits(null)).isFalse();
  }

  @Test
  void adminActionsTakeTheMetricsCredentialsOrTheAdminToken() {
    Access access = Access.of(Credentials.bearer(TOKEN), Credentials.bearer("admin-only"));
    assertThat(access.admin().accepts("Bearer " + TOKEN)).isTrue();
    assertThat(access.admin().accepts("Bearer admin-only")).isTrue();
    assertThat(access.metrics().accepts("Bearer admin-only")).isFalse();
    assertThat(access.protectsDetails()).isTrue();
    Access adminOnly = Access.of(Credentials.none(), Credentials.bearer("admin-only"));
    assertThat(adminOnly.protectsDetails()).isFalse();
    assertThat(adminOnly.admin().admits(null)).isFalse();
    assertThat(Access.of(Credentials.none(), Credentials.none())).isSameAs(Access.open());
  }

  @Test
  void readsCredentialsFromSettingsAndRejectsHalfAConfiguration() {
    Access access =
        Access.fromSettings(
            Settings.of(
                Map.of("INFERWATCH_METRICS_TOKEN", TOKEN, "INFERWATCH_ADMIN_TOKEN", "adm"),
                key -> null));
    assertThat(access.metrics().accepts("Bearer " + TOKEN)).isTrue();
    assertThat(access.admin().accepts("Bearer adm")).isTrue();
    assertThat(Access.fromSettings(Settings.of(Map.of(), key -> null))).isSameAs(Access.open());
    assertThatThrownBy(
            () ->
                Access.fromSettings(
                    Settings.of(Map.of("INFERWATCH_METRICS_USER", "u"), key -> null)))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "INFERWATCH_METRICS_PASSWORD=(unset): required when INFERWATCH_METRICS_USER is set");
    assertThatThrownBy(
            () ->
                Access.fromSettings(
                    Settings.of(
                        Map.of(
                            "INFERWATCH_METRICS_USER", "a:b", "INFERWATCH_METRICS_PASSWORD", "p"),
                        key -> null)))
        .hasMessage("INFERWATCH_METRICS_USER=a:b: not a user name without ':'");
  }

  /**
   * Timing-safe by construction: both sides are hashed to 32 bytes and compared with {@code
   * MessageDigest.isEqual}, so a guess right in its first characters costs what a guess wrong in
   * its first does. Measured interleaved, with a loose bound and three tries, since the machine is
   * shared and a scheduler hiccup must not fail the build.
   */
  @Test
  void aGuessRightUpToTheLastCharacterTakesNoLongerThanOneWrongFromTheFirst() {
    String secret = "x".repeat(64);
    Credentials credentials = Credentials.bearer(secret);
    String almost = "Bearer " + "x".repeat(63) + "y";
    String far = "Bearer " + "y" + "x".repeat(63);
    assertThat(Credentials.digest(secret)).hasSize(32);
    assertThat(credentials.accepts(almost)).isFalse();
    assertThat(credentials.accepts(far)).isFalse();
    for (int i = 0; i < 20_000; i++) {
      credentials.accepts(almost);
      credentials.accepts(far);
    }
    double ratio = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      ratio = medianRatio(credentials, almost, far);
      if (ratio > 1 / 3.0 && ratio < 3) {
        break;
      }
    }
    assertThat(ratio).isBetween(1 / 3.0, 3.0);
  }

  private static double medianRatio(Credentials credentials, String a, String b) {
    long[] first = new long[1_001];
    long[] second = new long[first.length];
    for (int i = 0; i < first.length; i++) {
      first[i] = time(credentials, a);
      second[i] = time(credentials, b);
    }
    Arrays.sort(first);
    Arrays.sort(second);
    return (double) first[first.length / 2] / second[second.length / 2];
  }

  private static long time(Credentials credentials, String header) {
    long start = System.nanoTime();
    for (int j = 0; j < 10; j++) {
      credentials.accepts(header);
    }
    return System.nanoTime() - start;
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
