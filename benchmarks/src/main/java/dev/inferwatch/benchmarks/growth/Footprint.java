package dev.inferwatch.benchmarks.growth;

import dev.inferwatch.benchmarks.load.ChildJvm;
import dev.inferwatch.benchmarks.load.HelloApp;
import dev.inferwatch.benchmarks.load.RotatingRun;
import dev.inferwatch.benchmarks.load.Rows;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the kit costs a process before and beside its requests, each figure from fresh child JVMs of
 * the same app ({@link HelloApp}) with and without the kit (the zero-code drop-in):
 *
 * <ul>
 *   <li>retained heap: heap in use after full collections, with the kit minus without it, once idle
 *       and once with every cardinality guard at its cap ({@link FootprintApp});
 *   <li>start-up time added: from starting {@code java} until the first 200 on {@code /hello}, the
 *       median of {@code -runs} alternating starts with the kit minus the median without it.
 * </ul>
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.inferwatch.benchmarks.growth.Footprint \
 *     -runs 7 -out target/footprint.json
 * }</pre>
 */
public final class Footprint {

  static final List<String> JVM =
      List.of("-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  private Footprint() {}

  /** Measures and writes the rows to {@code -out}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Rows.options(args);
    int runs = Integer.parseInt(options.getOrDefault("runs", "7"));
    File out = new File(options.getOrDefault("out", "target/footprint.json"));
    File logs = out.getAbsoluteFile().getParentFile();
    List<Map<String, Object>> rows = new ArrayList<>();

    for (boolean fill : new boolean[] {false, true}) {
      String suffix = fill ? "AtCaps" : "Idle";
      double without = heapMegabytes(false, fill, new File(logs, "footprint-bare.log"));
      double with = heapMegabytes(true, fill, new File(logs, "footprint-kit.log"));
      rows.add(Rows.row(Footprint.class, "heapWithoutKit" + suffix, 1, without, "MB"));
      rows.add(Rows.row(Footprint.class, "kitRetainedHeap" + suffix, 1, with - without, "MB"));
      System.out.printf(
          "heap %s: without the kit %.2f MB, with %.2f MB, kit %.2f MB%n",
          suffix, without, with, with - without);
    }

    List<Double> bare = new ArrayList<>();
    List<Double> kit = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      bare.add(startMillis(false, new File(logs, "startup-bare.log")));
      kit.add(startMillis(true, new File(logs, "startup-kit.log")));
    }
    double bareMedian = RotatingRun.median(bare);
    double kitMedian = RotatingRun.median(kit);
    System.out.printf("start-up to the first 200: without the kit %s ms, with %s ms%n", bare, kit);
    rows.add(Rows.row(Footprint.class, "startupWithoutKit", 1, bareMedian, "ms"));
    rows.add(Rows.row(Footprint.class, "startupWithKit", 1, kitMedian, "ms"));
    rows.add(Rows.row(Footprint.class, "startupAdded", 1, kitMedian - bareMedian, "ms"));
    Rows.write(out, rows);
  }

  private static double heapMegabytes(boolean kit, boolean fill, File log) throws Exception {
    List<String> args = new ArrayList<>(List.of("-fill", Boolean.toString(fill)));
    if (kit) {
      args.add("-kit");
    }
    try (ChildJvm child = ChildJvm.start(JVM, FootprintApp.class.getName(), args, Map.of(), log)) {
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (System.nanoTime() < deadline) {
        List<String> lines = Files.readAllLines(log.toPath());
        for (String line : lines) {
          if (line.startsWith("heap ")) {
            lines.stream()
                .filter(l -> l.startsWith("stage "))
                .forEach(l -> System.out.println("  heap in use after " + l.substring(6) + " B"));
            return Long.parseLong(line.substring(5).trim()) / (1024.0 * 1024.0);
          }
        }
        Thread.sleep(100);
      }
    }
    throw new IOException("no heap figure in " + log);
  }

  private static double startMillis(boolean kit, File log) throws Exception {
    int port = ChildJvm.freePort();
    List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port)));
    if (kit) {
      args.add("-kit");
    }
    try (ChildJvm child = ChildJvm.start(JVM, HelloApp.class.getName(), args, Map.of(), log)) {
      return child.awaitOk(port, "/hello", 120_000) / 1e6;
    }
  }
}
