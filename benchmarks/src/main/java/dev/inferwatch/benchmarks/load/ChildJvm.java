package dev.inferwatch.benchmarks.load;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started from this one, for what cannot share a JVM with the harness: a Java agent that
 * instruments everything, a start-up time, a heap or a resident set size. Its output goes to a log
 * file; closing it closes its standard input (the apps here stop on that), then ends it.
 *
 * <pre>{@code
 * try (ChildJvm app = ChildJvm.java(List.of("-Xmx256m"), "-cp", jar, main).start(log)) {
 *   long nanos = app.awaitOk(port, "/hello", 60_000);
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final long startNanos;

  private ChildJvm(Process process, long startNanos) {
    this.process = process;
    this.startNanos = startNanos;
  }

  /** Starts {@code java jvmArgs -cp <this class path> mainClass args}, output to {@code log}. */
  public static ChildJvm start(
      List<String> jvmArgs, String mainClass, List<String> args, Map<String, String> env, File log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    if (mainClass != null) {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(mainClass);
    }
    command.addAll(args);
    return start(command, env, log);
  }

  /** Starts {@code command} as it is, output to {@code log}. */
  public static ChildJvm start(List<String> command, Map<String, String> env, File log)
      throws IOException {
    Files.createDirectories(log.getAbsoluteFile().toPath().getParent());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log);
    long start = System.nanoTime();
    return new ChildJvm(builder.start(), start);
  }

  /** A TCP port free on 127.0.0.1 a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Polls {@code GET path} every 2 ms until it answers 200 and returns the nanoseconds since the
   * process was started; throws when the process dies or {@code timeoutMillis} passes.
   */
  public long awaitOk(int port, String path, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("child exited with " + process.exitValue());
      }
      if (status(port, path) == 200) {
        return System.nanoTime() - startNanos;
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("no 200 on " + path + " within " + timeoutMillis + " ms");
  }

  /** The status of {@code GET path}, or -1 when nothing answers. */
  public static int status(int port, String path) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      c.setConnectTimeout(200);
      c.setReadTimeout(5_000);
      int status = c.getResponseCode();
      try (InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (body != null) {
          body.readAllBytes();
        }
      }
      return status;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The body of {@code GET path} as text, or an empty string when nothing answers. */
  public static String get(int port, String path) {
    try (InputStream body = URI.create("http://127.0.0.1:" + port + path).toURL().openStream()) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Resident set size in bytes ({@code VmRSS} of {@code /proc/<pid>/status}; Linux). */
  public long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for " + pid());
  }

  /** Runs {@code jcmd <pid> GC.run}: a full collection in the child, so that RSS can shrink. */
  public void fullGc() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process gc =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    gc.waitFor(60, TimeUnit.SECONDS);
  }

  /** Closes its standard input, gives it 10 s to exit, then kills it. */
  @Override
  public void close() throws InterruptedException {
    try (OutputStream in = process.getOutputStream()) {
      in.flush();
    } catch (IOException e) {
      // Already gone.
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
