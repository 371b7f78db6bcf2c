package dev.inferwatch.servlet.internal;

/**
 * Hands the container's arrival time of a request from a container adapter (a Jetty handler, a
 * Tomcat valve) to the filter, and tells the adapter whether the filter saw the request.
 *
 * <p>Both run on the same thread within one dispatch (the adapter calls down the chain, the filter
 * runs inside it), so a per-thread slot, reused for every request, carries the value without an
 * allocation or a request attribute. Without an adapter the filter pays one static read.
 */
public final class Arrivals {

  /** Returned by {@link #enter()} when no adapter timed the request. */
  public static final long NONE = Long.MIN_VALUE;

  // A task that begins parsing a request within this of starting was queued for that request.
  private static final long STARTED_PARSING_WITHIN_NANOS = 20_000_000;

  private static final ThreadLocal<Slot> SLOTS = ThreadLocal.withInitial(Slot::new);

  // Set once the first adapter runs; until then the filter skips the thread-local lookup.
  private static volatile boolean adapted;

  private Arrivals() {}

  /**
   * Called by an adapter before the request goes down the chain, with the container's {@code
   * System.nanoTime()} of its arrival ({@link #NONE} if unknown); close the slot when it returns.
   */
  public static Slot arrived(long arrivalNanos) {
    if (!adapted) {
      adapted = true;
    }
    Slot slot = SLOTS.get();
    slot.arrival = arrivalNanos;
    slot.reached = false;
    slot.open = true;
    return slot;
  }

  /**
   * Called on a container thread as it starts a task the container queued at {@code queuedNanos},
   * such as reading a connection that became readable; cleared by {@link #dispatchEnded()}.
   */
  public static void dispatched(long queuedNanos) {
    Slot slot = SLOTS.get();
    slot.dispatched = queuedNanos;
    slot.dispatchStarted = System.nanoTime();
  }

  /** Called when the task of {@link #dispatched} ends. */
  public static void dispatchEnded() {
    SLOTS.get().dispatched = NONE;
  }

  /**
   * {@code task} as a container's thread pool queues it now: when it runs, its thread knows when it
   * was queued ({@link #dispatched}), for the first request it parses.
   */
  public static Runnable queued(Runnable task) {
    return new Queued(task, System.nanoTime());
  }

  private record Queued(Runnable task, long queuedNanos) implements Runnable {
    @Override
    public void run() {
      dispatched(queuedNanos);
      try {
        task.run();
      } finally {
        dispatchEnded();
      }
    }
  }

  /**
   * The request's arrival: the time the task now running on this thread was queued, when the
   * container began parsing the request ({@code parsedNanos}) right as the task started, so the
   * request was what the task had waited for; else {@code parsedNanos}. Only the first request of a
   * task can claim its queue time (a keep-alive connection read again in the same task, or a
   * long-running selector task that parses later, falls back to the parse time).
   */
  public static long arrival(long parsedNanos) {
    Slot slot = SLOTS.get();
    long queued = slot.dispatched;
    if (queued == NONE || parsedNanos == NONE) {
      return parsedNanos;
    }
    slot.dispatched = NONE;
    boolean parsedAtStart = parsedNanos - slot.dispatchStarted < STARTED_PARSING_WITHIN_NANOS;
    return parsedAtStart && queued - parsedNanos < 0 ? queued : parsedNanos;
  }

  /**
   * Called by the filter as a request enters: marks it seen and returns its arrival time, or {@link
   * #NONE} when no adapter is installed.
   */
  public static long enter() {
    if (!adapted) {
      return NONE;
    }
    Slot slot = SLOTS.get();
    if (!slot.open) {
      return NONE;
    }
    slot.open = false;
    slot.reached = true;
    return slot.arrival;
  }

  /** One thread's hand-off; reused from request to request. */
  public static final class Slot {
    private long arrival = NONE;
    private long dispatched = NONE;
    private long dispatchStarted;
    private boolean reached;
    private boolean open;

    private Slot() {}

    /** The arrival time given to {@link #arrived}. */
    public long arrival() {
      return arrival;
    }

    /** Ends the adapter's scope; true when the filter saw the request in it. */
    public boolean close() {
      boolean seen = reached;
      open = false;
      reached = false;
      return seen;
    }
  }
}
