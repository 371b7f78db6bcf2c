package dev.inferwatch.core.events;

import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.internal.Json;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors journal events as JSON lines to a file, on one daemon thread.
 *
 * <p>The caller only offers to a bounded queue: a full queue (a slow or stuck disk) drops the event
 * and counts it in {@code inferwatch_events_dropped_total{sink="jsonl"}}, it never waits. The
 * writer drains up to {@value #BATCH} events at a time and flushes once per batch. The file is
 * opened by the writer thread, so even an open that hangs (a FIFO without reader) cannot stall the
 * host; an unwritable path logs one warning and turns the mirror into a counted drop. {@link
 * #close()} writes and flushes everything queued, waiting at most {@link #CLOSE_TIMEOUT}.
 */
final class JsonlEventSink implements EventSink {

  static final int DEFAULT_QUEUE_CAPACITY = 8192;
  static final int BATCH = 512;
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(JsonlEventSink.class);

  private final String target;
  private final Callable<Writer> opener;
  private final BlockingQueue<Event> queue;
  private final CounterDataPoint dropped;
  private final Thread writer;
  private volatile boolean closing;

  JsonlEventSink(Path path, int queueCapacity, CounterDataPoint dropped) {
    this(
        path.toString(),
        () ->
            Files.newBufferedWriter(
                path,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE),
        queueCapacity,
        dropped);
  }

  JsonlEventSink(
      String target, Callable<Writer> opener, int queueCapacity, CounterDataPoint dropped) {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1, got " + queueCapacity);
    }
    this.target = target;
    this.opener = opener;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.dropped = dropped;
    this.writer = DaemonThreads.start("inferwatch-events-writer", this::run);
  }

  @Override
  public void accept(Event event) {
    if (closing || !queue.offer(event)) {
      dropped.inc();
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      writer.join(CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.warn(
          "Inferwatch event mirror {} did not finish within {}; {} queued events are lost",
          target,
          CLOSE_TIMEOUT,
          queue.size());
    }
  }

  /** Events waiting to be written; for tests. */
  int queued() {
    return queue.size();
  }

  private void run() {
    Writer out = open();
    List<Event> batch = new ArrayList<>(BATCH);
    while (true) {
      Event first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
        closing = true;
      }
      if (first == null) {
        if (closing && queue.isEmpty()) {
          break;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, BATCH - 1);
      out = write(out, batch);
      batch.clear();
    }
    closeQuietly(out);
  }

  private Writer open() {
    try {
      return opener.call();
    } catch (Exception e) {
      log.warn(
          "Inferwatch cannot write events to {} ({}); the journal carries on without the mirror",
          target,
          e.toString());
      return null;
    }
  }

  private Writer write(Writer out, List<Event> batch) {
    if (out == null) {
      dropped.inc(batch.size());
      return null;
    }
    try {
      StringBuilder lines = new StringBuilder(batch.size() * 160);
      for (Event event : batch) {
        lines.append(Json.MAPPER.writeValueAsString(event.toMap())).append('\n');
      }
      out.write(lines.toString());
      out.flush();
      return out;
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Inferwatch stopped writing events to {} ({}); further events are dropped and counted",
          target,
          e.toString());
      dropped.inc(batch.size());
      closeQuietly(out);
      return null;
    }
  }

  private static void closeQuietly(Writer out) {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      log.debug("closing the event mirror failed", e);
    }
  }
}
