package dev.inferwatch.benchmarks;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.events.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@code iw.events().emit(..)} costs its caller: the ring, the counter and the SLF4J level
 * check (the event's level is below the benchmark's {@code warn}, as steady-state events are in
 * production), with and without the JSONL mirror. With the mirror the caller only offers to the
 * writer's bounded queue; at JMH's rate the queue fills and the overflow is counted as dropped,
 * which is the path a burst takes.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar EventJournal -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventJournalBenchmark {

  private Inferwatch plain;
  private Inferwatch mirrored;
  private EventJournal ring;
  private EventJournal ringAndJsonl;
  private Path dir;

  /** Two instances: one journal in memory only, one mirrored to a JSONL file in a temp folder. */
  @Setup(Level.Trial)
  public void setUp() {
    try {
      dir = Files.createTempDirectory("inferwatch-journal-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    plain = instance(null);
    mirrored = instance(dir.resolve("events.jsonl"));
    ring = plain.events();
    ringAndJsonl = mirrored.events();
  }

  private static Inferwatch instance(Path jsonl) {
    Inferwatch.Builder builder = Isolated.inferwatch();
    if (jsonl != null) {
      builder.eventsPath(jsonl);
    }
    return builder.build();
  }

  /** Closes both instances and deletes the JSONL file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    plain.close();
    mirrored.close();
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }

  /** One event into the in-memory ring. */
  @Benchmark
  public void emit() {
    ring.emit(EventType.CUSTOM, "cache", "warmed");
  }

  /** One event into the ring and offered to the JSONL writer's queue. */
  @Benchmark
  public void emitWithJsonl() {
    ringAndJsonl.emit(EventType.CUSTOM, "cache", "warmed");
  }
}
