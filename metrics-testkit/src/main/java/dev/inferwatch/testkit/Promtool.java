package dev.inferwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code promtool check metrics} over an exposition; skips visibly without it. */
public final class Promtool {

  private Promtool() {}

  /**
   * Asserts that promtool accepts {@code exposition}; the test is skipped when promtool is absent.
   */
  public static void assertAccepts(Path dir, String exposition) throws Exception {
    assumeTrue(
        onPath("promtool"),
        "promtool not on PATH (Debian package 'prometheus'); .ci/run installs it");
    Path file = Files.createTempFile(dir, "metrics", ".txt");
    Files.writeString(file, exposition);
    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as("promtool said:%n%s", output).isZero();
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, command).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
