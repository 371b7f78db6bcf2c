package dev.inferwatch.benchmarks.growth;

import dev.inferwatch.benchmarks.load.ChildJvm;
import dev.inferwatch.benchmarks.load.LoadGenerator;
import dev.inferwatch.benchmarks.load.Rows;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's resident set size as distinct random paths pile up: the demo jar runs in a child JVM
 * (own traffic off, {@code -Xmx256m}) and takes GETs of paths never seen before ({@code
 * /<letters>/<number>/<hex>}, a scanner's shape), and at each checkpoint a full collection runs
 * ({@code jcmd GC.run}) before {@code VmRSS} is read. Bounded route and path caches keep it flat;
 * an unbounded map would grow with every path.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.inferwatch.benchmarks.growth.DemoGrowth \
 *     -demo-jar examples/jetty-demo/target/inferwatch-demo.jar -paths 1000,1000000
 * }</pre>
 */
public final class DemoGrowth {

  private DemoGrowth() {}

  /** Drives the demo to each checkpoint and writes one RSS row per checkpoint to {@code -out}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Rows.options(args);
    String jar = options.getOrDefault("demo-jar", "examples/jetty-demo/target/inferwatch-demo.jar");
    long[] checkpoints =
        Arrays.stream(options.getOrDefault("paths", "1000,10000,100000,1000000").split(","))
            .mapToLong(Long::parseLong)
            .toArray();
    File out = new File(options.getOrDefault("out", "target/demo-growth.json"));
    int port = ChildJvm.freePort();
    List<String> command =
        List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-jar", jar);
    Map<String, String> env =
        Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1", "DEMO_TRAFFIC", "false");
    List<Map<String, Object>> rows = new ArrayList<>();
    double first = Double.NaN;
    double last = Double.NaN;
    try (ChildJvm demo =
        ChildJvm.start(command, env, new File(out.getAbsoluteFile().getParentFile(), "demo.log"))) {
      demo.awaitOk(port, "/hello", 120_000);
      LoadGenerator load = LoadGenerator.get(port, DemoGrowth::randomPath, 4);
      long sent = 0;
      for (long checkpoint : checkpoints) {
        while (sent < checkpoint) {
          sent += load.run(60_000, checkpoint - sent).requests();
        }
        demo.fullGc();
        Thread.sleep(1_000);
        long rss = demo.residentBytes();
        rows.add(
            Rows.row(
                DemoGrowth.class,
                "rss",
                1,
                Map.of("paths", Long.toString(checkpoint)),
                rss / (1024.0 * 1024.0),
                "MB"));
        System.out.printf("after %,d random paths: RSS %.1f MB%n", checkpoint, rss / 1048576.0);
        last = rss / (1024.0 * 1024.0);
        if (Double.isNaN(first)) {
          first = last;
        }
      }
    }
    rows.add(Rows.row(DemoGrowth.class, "rssFirst", 1, first, "MB"));
    rows.add(Rows.row(DemoGrowth.class, "rssLast", 1, last, "MB"));
    Rows.write(out, rows);
  }

  private static String randomPath() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder path = new StringBuilder("/");
    int letters = 3 + random.nextInt(8);
    for (int i = 0; i < letters; i++) {
      path.append((char) ('a' + random.nextInt(26)));
    }
    return path.append('/')
        .append(random.nextInt(1_000_000))
        .append('/')
        .append(Long.toHexString(random.nextLong()))
        .toString();
  }
}
