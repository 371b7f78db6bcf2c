package dev.inferwatch.gpu;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The fake {@code libnvidia-ml.so} of {@code src/test/native/fake_nvml*.c}, compiled with gcc into
 * {@code target/fake-nvml/} once per JVM, and its control functions bound through JNA.
 *
 * <p>The GPU module loads the same file through its real binding, so both share the fake's state.
 */
final class FakeDriver {

  /**
   * Build variants: the current driver; one without {@code nvmlDeviceGetMemoryInfo_v2}; an old
   * driver (before R450) without any symbol added since; one without the event API.
   */
  enum Variant {
    CURRENT(List.of()),
    WITHOUT_MEMORY_V2(List.of("-DNO_MEMORY_V2")),
    OLD_DRIVER(List.of("-DOLD_DRIVER")),
    WITHOUT_EVENTS(List.of("-DNO_EVENTS"));

    final List<String> flags;

    Variant(List<String> flags) {
      this.flags = flags;
    }
  }

  /** The exported {@code fake_*} functions. */
  interface Control extends Library {
    void fake_reset();

    int fake_set(int device, String key, long value);

    int fake_fail(int device, String call, int rc);

    int fake_count(String what);

    int fake_calls(int device, String call);

    int fake_process(int device, int pid, long bytes, int gpuInstance);

    int fake_inject_xid(int device, long xid, int count, long step, int gpuInstance);
  }

  /** {@code gpuInstanceId} of a process or event outside MIG. */
  static final int NO_INSTANCE = -1;

  private static final List<String> SOURCES =
      List.of("fake_nvml.c", "fake_nvml_health.c", "fake_nvml_events.c");
  private static final Path NATIVE = Path.of("src/test/native");
  private static final Map<Variant, FakeDriver> BUILT = new ConcurrentHashMap<>();

  final Path library;
  final Control control;

  private FakeDriver(Path library) {
    this.library = library;
    this.control = Native.load(library.toString(), Control.class);
  }

  /** Why the fake cannot be built here (no gcc), or {@code null} when it can. */
  static String unavailableReason() {
    try {
      Process which = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
      which.getInputStream().readAllBytes();
      return which.waitFor(30, TimeUnit.SECONDS) && which.exitValue() == 0
          ? null
          : "gcc --version failed";
    } catch (IOException e) {
      return "gcc not found on PATH (" + e.getMessage() + "): fake libnvidia-ml.so tests skipped";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The compiled variant, reset to its defaults. */
  static FakeDriver get(Variant variant) {
    FakeDriver driver = BUILT.computeIfAbsent(variant, FakeDriver::compile);
    driver.control.fake_reset();
    return driver;
  }

  private static FakeDriver compile(Variant variant) {
    try {
      Path dir = Path.of("target", "fake-nvml", variant.name().toLowerCase()).toAbsolutePath();
      Files.createDirectories(dir);
      Path out = dir.resolve("libnvidia-ml.so.1");
      List<String> command =
          new java.util.ArrayList<>(
              List.of("gcc", "-Wall", "-Werror", "-O2", "-shared", "-fPIC", "-o", out.toString()));
      command.addAll(variant.flags);
      for (String source : SOURCES) {
        command.add(NATIVE.resolve(source).toAbsolutePath().toString());
      }
      command.add("-lpthread");
      Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
        throw new IllegalStateException("gcc failed: " + command + "\n" + output);
      }
      return new FakeDriver(out);
    } catch (IOException e) {
      throw new IllegalStateException("could not build the fake NVML", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void set(int device, String key, long value) {
    check(control.fake_set(device, key, value), key);
  }

  void fail(int device, String call, int rc) {
    check(control.fake_fail(device, call, rc), call);
  }

  int count(String what) {
    return control.fake_count(what);
  }

  /** How often {@code call} (as {@link #fail} names it) reached {@code device}. */
  int calls(int device, String call) {
    int n = control.fake_calls(device, call);
    check(n < 0 ? -1 : 0, call);
    return n;
  }

  /** Lists a compute process on {@code device}. */
  void process(int device, long pid, long bytes, int gpuInstance) {
    check(control.fake_process(device, (int) pid, bytes, gpuInstance), "process on " + device);
  }

  /** Queues {@code count} XID events on {@code device}: codes xid, xid + step, ... */
  int injectXid(int device, long xid, int count, long step) {
    return control.fake_inject_xid(device, xid, count, step, NO_INSTANCE);
  }

  private static void check(int result, String what) {
    if (result != 0) {
      throw new IllegalArgumentException("the fake NVML does not know " + what);
    }
  }
}
