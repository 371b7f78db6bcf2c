package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

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
}
