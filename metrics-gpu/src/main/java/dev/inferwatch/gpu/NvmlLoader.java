package dev.inferwatch.gpu;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and loads {@code libnvidia-ml}: an explicit path when given, else the names the driver
 * installs, once a driver is there to be found.
 *
 * <pre>{@code
 * NvmlLoader.Result loaded = NvmlLoader.load(System.getenv("INFERWATCH_NVML_LIBRARY"));
 * if (loaded.nvml() == null) {
 *   log.info("no NVML: {}", loaded.failure());
 * }
 * }</pre>
 */
final class NvmlLoader {

  private NvmlLoader() {}

  /** The loaded binding, or {@code null} with why every candidate failed. */
  record Result(Nvml nvml, String library, String failure) {}

  /**
   * The candidates in order: {@code override} alone when set; otherwise {@code libnvidia-ml.so.1}
   * first (containers with the NVIDIA runtime mount only the {@code .so.1} name, the unversioned
   * link comes with the dev package), then {@code nvidia-ml}; {@code nvml} on Windows.
   */
  static List<String> candidates(String override) {
    if (override != null && !override.isBlank()) {
      return List.of(override.trim());
    }
    if (Platform.isWindows()) {
      return List.of("nvml");
    }
    return List.of("libnvidia-ml.so.1", "nvidia-ml");
  }

  /**
   * What an NVIDIA driver leaves on a Linux host: the kernel module's {@code /proc} directory, its
   * control device, or WSL2's paravirtual GPU device. NVML cannot initialise without one of them.
   */
  static final List<Path> LINUX_DRIVER_SIGNS =
      List.of(Path.of("/proc/driver/nvidia"), Path.of("/dev/nvidiactl"), Path.of("/dev/dxg"));

  /** Loads the first candidate that opens; never throws. */
  static Result load(String override) {
    return load(override, Platform.isLinux() ? LINUX_DRIVER_SIGNS : List.of());
  }

  /**
   * As {@link #load(String)}; with no explicit library and none of {@code driverSigns} present
   * (when there are any to look for), JNA is never touched: its failed library search, an {@code
   * ldconfig} among it, costs a driverless host about 100 ms of start-up.
   */
  static Result load(String override, List<Path> driverSigns) {
    boolean explicit = override != null && !override.isBlank();
    if (!explicit && !driverSigns.isEmpty() && driverSigns.stream().noneMatch(Files::exists)) {
      return new Result(null, null, "NVIDIA driver not present (no " + names(driverSigns) + ")");
    }
    List<String> failures = new ArrayList<>();
    for (String candidate : candidates(override)) {
      try {
        return new Result(Native.load(candidate, Nvml.class), candidate, null);
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        failures.add(dlopenError(candidate, e.getMessage()));
      } catch (RuntimeException e) {
        failures.add(candidate + ": " + e);
      }
    }
    return new Result(
        null, null, "NVIDIA driver library not found (" + String.join("; ", failures) + ")");
  }

  private static String names(List<Path> paths) {
    List<String> names = new ArrayList<>();
    for (Path path : paths) {
      names.add(path.toString());
    }
    return String.join(", ", names);
  }

  /** JNA's message opens with "Unable to load library 'x':", then the dlopen error. */
  private static String dlopenError(String candidate, String message) {
    if (message == null) {
      return candidate + ": not found";
    }
    String[] lines = message.split("\n");
    return lines.length > 1 && !lines[1].isBlank() ? lines[1].trim() : candidate + ": " + lines[0];
  }
}
