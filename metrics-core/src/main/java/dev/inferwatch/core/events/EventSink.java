package dev.inferwatch.core.events;

/** Where journal events are mirrored besides the ring buffer; must never block the caller. */
interface EventSink extends AutoCloseable {

  /** The sink for a journal without a mirror: the JIT inlines it away. */
  EventSink NONE =
      new EventSink() {
        @Override
        public void accept(Event event) {}

        @Override
        public void close() {}
      };

  /** Hands {@code event} over without blocking; a sink that cannot take it drops and counts it. */
  void accept(Event event);

  /** Flushes what is queued and releases the sink; bounded in time. */
  @Override
  void close();
}
