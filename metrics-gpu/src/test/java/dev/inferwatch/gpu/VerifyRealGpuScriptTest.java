package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/verify-real-gpu.sh}, the device check, run end to end where no GPU is: the module
 * polls the fake {@code libnvidia-ml.so} and a stand-in {@code nvidia-smi} ({@code
 * src/test/scripts}) reports the same fake's values, so the comparison, its table, its tolerances
 * and its exit codes are proven before the first real GPU runs it.
 */
class VerifyRealGpuScriptTest {

  private static final Path SCRIPT = Path.of("scripts/verify-real-gpu.sh").toAbsolutePath();
  private static final Path FAKE_SMI = Path.of("src/test/scripts").toAbsolutePath();

  private static FakeDriver driver;

  @BeforeAll
  static void needsGccAndBash() {
    String reason = FakeDriver.unavailableReason();
    assumeThat(reason).as(String.valueOf(reason)).isNull();
    assumeThat(new File("/bin/bash")).exists();
    driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
  }

  private record Result(int exit, String output) {}

  private static Result run(String path, Map<String, String> extra) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("/bin/bash", SCRIPT.toString()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PATH", path);
    env.put("INFERWATCH_NVML_LIBRARY", driver.library.toString());
    env.put("INFERWATCH_CHECK_CLASSPATH", System.getProperty("java.class.path"));
    env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.putAll(extra);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the check finished").isTrue();
    return new Result(process.exitValue(), output);
  }

  private static String withFakeSmi() {
    return FAKE_SMI + File.pathSeparator + System.getenv("PATH");
  }

  @Test
  void agreesWithNvidiaSmiFieldByFieldAndPrintsTheTable() throws Exception {
    Result result = run(withFakeSmi(), Map.of());

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("gpu   reading")
        .containsPattern("1 +temperature\\.memory +61\\.00 +61 .* ok")
        .containsPattern("0 +enforced\\.power\\.limit +700\\.00 +700\\.00 .* ok")
        .containsPattern("1 +ecc\\.errors\\.corrected\\.volatile\\.total +4 +4 .* ok")
        .containsPattern("0 +process\\.used_memory +0\\.00 +0 .* ok")
        .containsPattern("- +cuda_version +12\\.4 +12\\.4 .* ok")
        .contains("XID watch on")
        .contains("2 GPU(s) compared, 0 disagreement(s)");
  }

  @Test
  void exitsOneAndMarksTheRowWhenAReadingDisagrees() throws Exception {
    Result result =
        run(withFakeSmi(), Map.of("FAKE_SMI_SET", "1:temperature.gpu=90;0:clocks.mem=5000"));

    assertThat(result.exit()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .containsPattern("1 +temperature\\.gpu +51\\.00 +90 +39\\.00 +3\\.00 +FAIL")
        .containsPattern("0 +clocks\\.mem +2619\\.00 +5000 .* FAIL")
        .contains("2 GPU(s) compared, 2 disagreement(s)");
  }

  @Test
  void usesOlderFieldNamesAndSkipsFieldsAnOlderNvidiaSmiLacks() throws Exception {
    Result result =
        run(
            withFakeSmi(),
            Map.of("FAKE_SMI_UNKNOWN", "temperature.memory clocks_event_reasons.active"));

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("nvidia-smi does not know temperature.memory: skipped")
        .containsPattern("0 +clocks_event_reasons\\.active +0 +0 .* ok");
  }

  @Test
  void aHardwareThrottleOnOneSideOnlyIsADisagreement() throws Exception {
    Result result =
        run(withFakeSmi(), Map.of("FAKE_SMI_SET", "0:clocks_event_reasons.active=0x40"));

    assertThat(result.exit()).as(result.output()).isEqualTo(1);
    assertThat(result.output()).containsPattern("0 +clocks_event_reasons\\.active +0 +64 .* FAIL");
  }

  @Test
  void exitsTwoWithoutNvidiaSmi() throws Exception {
    assumeThat(onPath("nvidia-smi", "/usr/bin:/bin")).as("a real nvidia-smi is here").isFalse();

    Result result = run("/usr/bin:/bin", Map.of());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.output()).contains("nvidia-smi not found");
  }

  private static boolean onPath(String command, String path) throws IOException {
    for (String dir : List.of(path.split(File.pathSeparator))) {
      if (new File(dir, command).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
