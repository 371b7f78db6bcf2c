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
