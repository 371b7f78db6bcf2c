package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Where the binding looks for {@code libnvidia-ml}. */
class NvmlLoaderTest {

  @Test
  @EnabledOnOs(OS.LINUX)
  void triesTheVersionedNameFirstBecauseContainersMountOnlyThat() {
    assertThat(NvmlLoader.candidates(null)).containsExactly("libnvidia-ml.so.1", "nvidia-ml");
  }

  @Test
  void anExplicitLibraryIsTheOnlyCandidate() {
    assertThat(NvmlLoader.candidates(" /opt/nvidia/libnvidia-ml.so.1 "))
        .containsExactly("/opt/nvidia/libnvidia-ml.so.1");
  }

  @Test
  void aMissingLibraryIsAReasonNotAnException() {
    NvmlLoader.Result result = NvmlLoader.load("/nonexistent/libnvidia-ml.so.1");

    assertThat(result.nvml()).isNull();
    assertThat(result.failure())
        .isEqualTo(
            "NVIDIA driver library not found (/nonexistent/libnvidia-ml.so.1: cannot open shared"
                + " object file: No such file or directory)");
  }

  @Test
  void withoutAnySignOfADriverTheLibraryIsNotSearched(@TempDir Path dir) {
    List<Path> signs = List.of(dir.resolve("proc-driver-nvidia"), dir.resolve("nvidiactl"));

    NvmlLoader.Result result = NvmlLoader.load(null, signs);

    assertThat(result.nvml()).isNull();
    assertThat(result.failure())
        .isEqualTo("NVIDIA driver not present (no " + signs.get(0) + ", " + signs.get(1) + ")");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void withASignOfADriverTheLibraryIsSearched(@TempDir Path dir) throws Exception {
    Path nvidiactl = Files.createFile(dir.resolve("nvidiactl"));

    NvmlLoader.Result result = NvmlLoader.load(null, List.of(dir.resolve("absent"), nvidiactl));

    // JNA searched: it either found a library (the fake driver another test loaded in this JVM
    // answers to its soname) or said which names it tried.
    if (result.nvml() == null) {
      assertThat(result.failure()).startsWith("NVIDIA driver library not found (libnvidia-ml.so.1");
    } else {
      assertThat(result.library()).isEqualTo("libnvidia-ml.so.1");
    }
  }

  @Test
  void anExplicitLibraryIsTriedWhateverTheSigns(@TempDir Path dir) {
    NvmlLoader.Result result =
        NvmlLoader.load("/nonexistent/libnvidia-ml.so.1", List.of(dir.resolve("absent")));

    assertThat(result.failure()).startsWith("NVIDIA driver library not found (/nonexistent/");
  }
}
