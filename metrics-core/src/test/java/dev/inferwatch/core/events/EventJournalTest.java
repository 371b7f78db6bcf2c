package dev.inferwatch.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inferwatch.core.Samples;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal: ring, counts, last errors, and the non-blocking JSON-lines mirror. */
class EventJournalTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Naming names = Naming.of(null, null, null);
  private final InternalErrors errors = new InternalErrors(names, registry);
  private final Samples samples = new Samples(registry);

  private EventJournal journal(int capacity, Path mirror, int queue) {
    return new EventJournal(names, registry, errors, capacity, mirror, queue);
  }

  @Test
  void keepsTheMostRecentEventsNewestFirstAndCountsEveryType() {
    EventJournal journal = journal(4, null, 1);
    for (int i = 0; i < 6; i++) {
      journal.emit(EventType.MODEL_STATE_CHANGED, "m", "state " + i);
    }
    journal.emit(EventType.STARTUP, "svc", "up", Map.of("env", "test"));

    assertThat(journal.recent(10))
        .extracting(Event::message)
        .containsExactly("up", "state 5", "state 4", "state 3");
    assertThat(journal.recent(2)).hasSize(2);
    assertThat(journal.recent(1).get(0).toMap())
        .containsEntry("type", "startup")
        .containsEntry("subject", "svc")
        .containsEntry("env", "test")
        .containsKey("time");
    assertThat(samples.value("inferwatch_events_total", "type", "model_state_changed"))
        .isEqualTo(6);
    assertThat(samples.value("inferwatch_events_total", "type", "startup")).isEqualTo(1);
  }

  @Test
  void keepsTheLastErrorPerSubjectTruncatedAndResetForgets() {
    EventJournal journal = journal(8, null, 1);
    journal.emit(EventType.PROVIDER_FAILED, "openai", "first");
    journal.emit(EventType.PROVIDER_FAILED_MIDSTREAM, "openai", "é".repeat(300));
    journal.emit(EventType.PROVIDER_DEGRADED, "openai", "slow");

    Event last = journal.lastError("openai").orElseThrow();
    assertThat(last.type()).isEqualTo(EventType.PROVIDER_FAILED_MIDSTREAM);
    assertThat(last.message()).hasSize(200);
    assertThat(journal.lastErrors()).containsOnlyKeys("openai");

    journal.reset();
    assertThat(journal.recent(10)).isEmpty();
    assertThat(journal.lastError("openai")).isEmpty();
    journal.emit(EventType.CUSTOM, null, null, null);
    assertThat(journal.recent(10))
        .singleElement()
        .satisfies(e -> assertThat(e.subject()).isEmpty());
  }

  @Test
  void mirrorsAHundredThousandEventsInMicrosecondsEachAndFlushesThemAllOnClose(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("events.jsonl");
    int count = 100_000;
    EventJournal journal = journal(256, file, count);
    long[] nanos = new long[count];
    Map<String, String> fields = Map.of("outcome", "skipped_paid");
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      journal.emit(EventType.PROVIDER_SKIPPED, "openai", "skip " + i, fields);
      nanos[i] = System.nanoTime() - start;
    }
    journal.close();

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(count);
    JsonNode lastLine = new ObjectMapper().readTree(lines.get(count - 1));
    assertThat(lastLine.get("message").asText()).isEqualTo("skip " + (count - 1));
    assertThat(lastLine.get("outcome").asText()).isEqualTo("skipped_paid");
    assertThat(samples.value("inferwatch_events_dropped_total", "sink", "jsonl")).isZero();
    Arrays.sort(nanos);
    String figure =
        String.format(
            "journal emit with JSONL mirror, %d events: p50 %.2f us, p99 %.2f us, max %.1f us",
            count, nanos[count / 2] / 1e3, nanos[count * 99 / 100] / 1e3, nanos[count - 1] / 1e3);
    System.out.println(figure);
    Files.writeString(Path.of("target", "journal-emit-p99.txt"), figure + "\n");
  }

  @Test
  void aStuckFileNeverBlocksTheCallerAndFullQueueDropsAreCounted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    StringWriter written = new StringWriter();
    Writer stuck =
        new Writer() {
          @Override
          public void write(char[] buf, int off, int len) throws IOException {
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            written.write(buf, off, len);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    JsonlEventSink sink =
        new JsonlEventSink(
            "stuck", () -> stuck, 16, Counter.builder().name("dropped_total").register(registry));
    long start = System.nanoTime();
    for (int i = 0; i < 1_000; i++) {
      sink.accept(event("e" + i));
    }
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // 1,000 offers against a writer that never returns: bounded by the queue, not the disk
    assertThat(elapsedMillis).isLessThan(2_000);
    assertThat(samples.value("dropped_total")).isGreaterThanOrEqualTo(1_000 - 2 * 16 - 1);

    release.countDown();
    sink.close();
    long lines = written.toString().lines().count();
    assertThat(lines + (long) samples.value("dropped_total")).isEqualTo(1_000);
  }

  @Test
  void anUnwritablePathWarnsOnceAndTheJournalCarriesOn(@TempDir Path dir) throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    EventJournal journal = journal(16, notADirectory.resolve("events.jsonl"), 64);
    for (int i = 0; i < 10; i++) {
      journal.emit(EventType.CUSTOM, "s", "m" + i);
    }
    journal.close();
    assertThat(journal.recent(20)).hasSize(10);
    assertThat(samples.value("inferwatch_events_dropped_total", "sink", "jsonl")).isEqualTo(10);
    assertThat(errors.count("events.emit")).isZero();
  }

  @Test
  void theHostsStartupDeclarationIsAStartupEventAboutTheService() {
    dev.inferwatch.core.Inferwatch iw =
        dev.inferwatch.core.Inferwatch.builder()
            .registry(new PrometheusRegistry())
            .service("router")
            .jvmMetrics(false)
            .discoverModules(false)
            .build();
    Map<String, Object> declared = new java.util.LinkedHashMap<>();
    declared.put("version", "2.4.1");
    declared.put("providers", List.of("openrouter", "groq", "ollama"));
    declared.put("profiles", new String[] {"free", "fast"});
    declared.put("flags", Map.of("paid_fallback", false));
    declared.put("workers", 8);
    iw.events().startup(declared);

    Event startup = iw.events().lastStartup().orElseThrow();
    assertThat(startup.type()).isEqualTo(EventType.STARTUP);
    assertThat(startup.subject()).isEqualTo("router");
    assertThat(startup.message()).isEqualTo("started, version 2.4.1");
    assertThat(startup.fields())
        .containsEntry("version", "2.4.1")
        .containsEntry("providers", List.of("openrouter", "groq", "ollama"))
        .containsEntry("profiles", List.of("free", "fast"))
        .containsEntry("flags", Map.of("paid_fallback", false))
        .containsEntry("workers", 8);
    assertThat(iw.events().recent(5)).filteredOn(e -> e.type() == EventType.STARTUP).hasSize(2);
    iw.close();
  }

  @Test
  void aStartupDeclarationIsBoundedWhateverTheHostPasses() throws Exception {
    EventJournal journal = journal(8, null, 1);
    Map<String, Object> huge = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      huge.put("k" + i + "x".repeat(500), java.util.Collections.nCopies(1000, "v".repeat(10_000)));
    }
    huge.put("k-null", null);
    journal.startup(huge);
    journal.startup(null);

    Event big = journal.recent(2).get(1);
    assertThat(big.subject()).isEqualTo("app");
    assertThat(big.fields()).hasSize(33).containsEntry("truncated", true);
    String json = new ObjectMapper().writeValueAsString(big.toMap());
    assertThat(json.length()).isLessThan(100_000);
    assertThat(journal.recent(1).get(0).fields()).isEmpty();
    assertThat(errors.count("events.startup")).isZero();
  }

  private static Event event(String message) {
    return new Event(java.time.Instant.now(), EventType.CUSTOM, "s", message, Map.of());
  }
}
