package dev.inferwatch.core.events;

import dev.inferwatch.core.internal.CurrentRequest;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.internal.MetricNames;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The event journal: typed events from every helper and servlet, kept in a ring buffer, counted,
 * logged and optionally mirrored to a JSON-lines file.
 *
 * <pre>{@code
 * iw.events().emit(EventType.MODEL_STATE_CHANGED, "llama-3", "loading -> ready");
 * iw.events().emit(EventType.CUSTOM, "cache", "warmed", Map.of("entries", 5000));
 * List<Event> latest = iw.events().recent(50);
 * Optional<Event> last = iw.events().lastError("openai");
 * }</pre>
 *
 * <p>Each event lands in a ring of the last {@link #DEFAULT_CAPACITY} events ({@code
 * INFERWATCH_EVENTS_CAPACITY}), is counted in {@code inferwatch_events_total{type}}, is logged
 * through SLF4J at its type's level with key-values {@code event}, {@code subject} and the extra
 * fields, and — when {@code INFERWATCH_EVENTS_PATH} is set — is handed to a non-blocking file
 * writer. Failure events ({@link EventType#error()}) also become their subject's last error, and
 * carry the {@value Event#REQUEST_ID} of the request they happened in. An emit never blocks and
 * never throws; it costs a few hundred nanoseconds plus the log call.
 */
public final class EventJournal implements AutoCloseable {

  /** Events kept in memory by default. */
  public static final int DEFAULT_CAPACITY = 256;

  /** Distinct subjects whose last error is kept; later subjects are not tracked. */
  static final int MAX_LAST_ERRORS = 256;

  private static final Logger log = LoggerFactory.getLogger(EventJournal.class);

  private final AtomicReferenceArray<Event> ring;
  private final AtomicLong sequence = new AtomicLong();
  private final CounterDataPoint[] counts;
  private final Map<String, Event> lastErrors = new ConcurrentHashMap<>();
  private final EventSink sink;
  private final InternalErrors errors;
  private volatile Event lastStartup;

  /**
   * Registers the families and, when {@code mirror} is not null, starts the JSON-lines writer;
   * built by {@code Inferwatch}, not by applications.
   */
  public EventJournal(
      Naming names, PrometheusRegistry registry, InternalErrors errors, int capacity, Path mirror) {
    this(names, registry, errors, capacity, mirror, JsonlEventSink.DEFAULT_QUEUE_CAPACITY);
  }

  EventJournal(
      Naming names,
      PrometheusRegistry registry,
      InternalErrors errors,
      int capacity,
      Path mirror,
      int queueCapacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("event capacity must be at least 1, got " + capacity);
    }
    this.errors = errors;
    this.ring = new AtomicReferenceArray<>(capacity);
    Counter total =
        Counter.builder()
            .name(names.name(MetricNames.EVENTS))
            .help("Events recorded by the Inferwatch journal, by type")
            .labelNames("type")
            .constLabels(names.constLabels())
            .register(registry);
    EventType[] types = EventType.values();
    this.counts = new CounterDataPoint[types.length];
    for (EventType type : types) {
      counts[type.ordinal()] = total.labelValues(type.label());
    }
    Counter dropped =
        Counter.builder()
            .name(names.name(MetricNames.EVENTS_DROPPED))
            .help("Journal events a mirror could not take (queue full or file unwritable), by sink")
            .labelNames("sink")
            .constLabels(names.constLabels())
            .register(registry);
    CounterDataPoint droppedJsonl = dropped.labelValues("jsonl");
    this.sink =
        mirror == null ? EventSink.NONE : new JsonlEventSink(mirror, queueCapacity, droppedJsonl);
  }

  /** Records an event about {@code subject} (a provider, model, profile…); never throws. */
  public void emit(EventType type, String subject, String message) {
    emit(type, subject, message, Map.of());
  }

  /** Records an event with extra key-values (null values are left out); never throws. */
  public void emit(EventType type, String subject, String message, Map<String, ?> fields) {
    try {
      Map<String, ?> all = type.error() ? withRequestId(fields) : fields;
      Event event = new Event(Instant.now(), type, subject, message, toObjects(all));
      long seq = sequence.getAndIncrement();
      ring.set((int) (seq % ring.length()), event);
      counts[type.ordinal()].inc();
      if (type.error()
          && (lastErrors.size() < MAX_LAST_ERRORS || lastErrors.containsKey(event.subject()))) {
        lastErrors.put(event.subject(), event);
      }
      if (type == EventType.STARTUP) {
        lastStartup = event;
      }
      logEvent(event);
      sink.accept(event);
    } catch (RuntimeException e) {
      errors.record("events.emit", e);
    }
  }

  /**
   * Records what the host declares about itself at startup (seed 004's startup info: version,
   * providers, profiles, flags) as a {@code startup} event about the same subject as the kit's own
   * startup event (the service name). The declaration is bounded: at most 32 fields, 32 items per
   * list or map, strings cut to 200 characters (list and map items to 64). Never throws.
   *
   * <pre>{@code
   * iw.events().startup(Map.of(
   *     "version", "2.4.1",
   *     "providers", List.of("openrouter", "groq", "ollama"),
   *     "profiles", List.of("free", "fast"),
   *     "flags", Map.of("paid_fallback", false)));
   * }</pre>
   */
  public void startup(Map<String, ?> declared) {
    try {
      Map<String, Object> fields = StartupDeclaration.bound(declared);
      Event kit = lastStartup;
      Object version = fields.get("version");
      emit(
          EventType.STARTUP,
          kit == null ? "app" : kit.subject(),
          version == null ? "started" : "started, version " + version,
          fields);
    } catch (RuntimeException e) {
      errors.record("events.startup", e);
    }
  }

  /** The last startup event: the host's declaration once made, else the kit's own. */
  public Optional<Event> lastStartup() {
    return Optional.ofNullable(lastStartup);
  }

  /** Up to {@code limit} most recent events, newest first. */
  public List<Event> recent(int limit) {
    List<Event> out = new ArrayList<>(Math.min(Math.max(limit, 0), ring.length()));
    long end = sequence.get();
    long start = Math.max(0, Math.max(end - ring.length(), end - limit));
    for (long seq = end - 1; seq >= start; seq--) {
      Event event = ring.get((int) (seq % ring.length()));
      if (event != null) {
        out.add(event);
      }
    }
    return out;
  }

  /** The last failure event of {@code subject} (such as a provider), if any. */
  public Optional<Event> lastError(String subject) {
    return Optional.ofNullable(lastErrors.get(subject));
  }

  /** The last failure event of every subject that had one. */
  public Map<String, Event> lastErrors() {
    return Map.copyOf(lastErrors);
  }

  /** Events emitted since start (including those the ring no longer holds). */
  public long emitted() {
    return sequence.get();
  }

  /** The ring's size. */
  public int capacity() {
    return ring.length();
  }

  /**
   * Forgets the ring and the last errors, for tests; counters keep counting (Prometheus counters
   * only go up).
   */
  public void reset() {
    for (int i = 0; i < ring.length(); i++) {
      ring.set(i, null);
    }
    lastErrors.clear();
  }

  /** Flushes and stops the JSON-lines mirror, if any; the ring stays readable. */
  @Override
  public void close() {
    sink.close();
  }

  private static void logEvent(Event event) {
    if (!log.isEnabledForLevel(event.type().level())) {
      return;
    }
    LoggingEventBuilder line =
        log.atLevel(event.type().level())
            .addKeyValue("event", event.type().label())
            .addKeyValue("subject", event.subject());
    for (Map.Entry<String, Object> field : event.fields().entrySet()) {
      line = line.addKeyValue(field.getKey(), field.getValue());
    }
    line.log(event.message());
  }

  /** {@code fields} plus the request id, when a request is being served on this thread. */
  private static Map<String, ?> withRequestId(Map<String, ?> fields) {
    String requestId = CurrentRequest.id();
    if (requestId == null || (fields != null && fields.containsKey(Event.REQUEST_ID))) {
      return fields;
    }
    Map<String, Object> copy = fields == null ? new LinkedHashMap<>() : new LinkedHashMap<>(fields);
    copy.put(Event.REQUEST_ID, requestId);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> toObjects(Map<String, ?> fields) {
    // Read-only from here on (Event copies it), so the unchecked view is safe and saves a copy.
    return (Map<String, Object>) fields;
  }
}
