package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.internal.DaemonThreads;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Admission for the chat and predict servlets, as vLLM bounds its engine: at most {@code
 * maxRunning} requests run, at most {@code maxQueued} wait in arrival order, and the rest are
 * refused at once (the servlet answers 429 with {@code Retry-After}).
 *
 * <p>A request holds its {@link Slot} from admission until it {@linkplain Slot#close() closes} it:
 * a non-streaming request when its worker returns, a stream when it ends, however long after its
 * worker returned. Jobs run on at most {@code maxRunning} daemon threads, created on demand and
 * gone after {@value #IDLE_SECONDS} s idle, so a burst never grows the thread count past the bound.
 * A waiting request whose client leaves closes its slot and is dropped from the queue: it never
 * runs.
 *
 * <pre>{@code
 * BoundedWorkers workers = new BoundedWorkers("inferwatch-chat", 64, 256);
 * BoundedWorkers.Slot slot = workers.admit();
 * if (slot == null) { answer429(); return; }
 * slot.start(job);            // job.run(slot) now, or once a running request closes its slot
 * }</pre>
 */
public final class BoundedWorkers {

  /** Idle worker threads end after this many seconds. */
  public static final int IDLE_SECONDS = 30;

  /** One admitted request's work. */
  public interface Job {

    /**
     * Called once, under the admission lock, when the job has to wait for a running slot: keep it
     * to a gauge update.
     */
    void queued();

    /** Runs on a worker thread; the slot stays taken until the job closes it. */
    void run(Slot slot);

    /** Called when the job will never run (the workers were closed while it waited). */
    void dropped();
  }

  private enum State {
    /** Admitted to a running place; the owner has not started it yet. */
    RESERVED,
    /** Admitted to a waiting place; the owner has not started it yet. */
    RESERVED_WAITING,
    /** Started and waiting for a running place. */
    WAITING,
    /** Holds a running place. */
    RUNNING,
    /** Closed: the place is free again. */
    CLOSED
  }

  private final int maxRunning;
  private final int maxQueued;
  private final ThreadPoolExecutor threads;
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
  private int running;
  private boolean closed;

  /** Workers named {@code name-1}, {@code name-2}…; both bounds are checked as below. */
  public BoundedWorkers(String name, int maxRunning, int maxQueued) {
    this.maxRunning = checkRunning(maxRunning);
    this.maxQueued = checkQueued(maxQueued);
    this.threads =
        new ThreadPoolExecutor(
            maxRunning,
            maxRunning,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.pool(name));
    threads.allowCoreThreadTimeOut(true);
  }

  /** {@code maxConcurrent} if it is at least 1, for builders; else IllegalArgumentException. */
  public static int checkRunning(int maxConcurrent) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
    }
    return maxConcurrent;
  }

  /** {@code maxQueued} if it is not negative, for builders; else IllegalArgumentException. */
  public static int checkQueued(int maxQueued) {
    if (maxQueued < 0) {
      throw new IllegalArgumentException("maxQueued must not be negative, got " + maxQueued);
    }
    return maxQueued;
  }

  /**
   * A place for one request: running if one is free, else waiting if the queue has room; {@code
   * null} when both are full or the workers are closed. Start it with {@link Slot#start}, or close
   * it if the request ends before that.
   */
  public Slot admit() {
    synchronized (this) {
      if (closed) {
        return null;
      }
      if (running < maxRunning) {
        running++;
        return new Slot(State.RESERVED);
      }
      if (waiting.size() < maxQueued) {
        Slot slot = new Slot(State.RESERVED_WAITING);
        waiting.addLast(slot);
        return slot;
      }
      return null;
    }
  }

  /** Requests holding a running place now. */
  public synchronized int running() {
    return running;
  }

  /** Requests waiting for a running place now. */
  public synchronized int waiting() {
    return waiting.size();
  }

  /** The worker threads, for {@code executor_*} gauges; never submit to it directly. */
  public ThreadPoolExecutor threads() {
    return threads;
  }

  /** The bound on running requests. */
  public int maxRunning() {
    return maxRunning;
  }

  /** The bound on waiting requests. */
  public int maxQueued() {
    return maxQueued;
  }

  /**
   * Refuses new requests, drops the waiting ones (each job's {@link Job#dropped()} runs) and stops
   * the threads, interrupting running jobs; waits up to a second for them.
   */
  public void close() {
    List<Slot> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(waiting);
      waiting.clear();
      for (Slot slot : dropped) {
        slot.state = State.CLOSED;
      }
    }
    for (Slot slot : dropped) {
      if (slot.job != null) {
        slot.job.dropped();
      }
    }
    DaemonThreads.stop(threads);
  }

  private void execute(Slot slot) {
    try {
      threads.execute(() -> slot.job.run(slot));
    } catch (RejectedExecutionException e) {
      slot.close();
      slot.job.dropped();
    }
  }

  /** Frees a running place and hands it to the first waiting request, if any. */
  private void promoteNext() {
    Slot next;
    synchronized (this) {
      running--;
      next = waiting.pollFirst();
      if (next == null) {
        return;
      }
      running++;
      if (next.state == State.RESERVED_WAITING) {
        // Its owner is still setting it up; start() will find it running.
        next.state = State.RESERVED;
        return;
      }
      next.state = State.RUNNING;
    }
    execute(next);
  }

  /** One request's place: running or waiting, until closed. */
  public final class Slot {
    private State state;
    private Job job;

    private Slot(State state) {
      this.state = state;
    }

    /**
     * Hands the slot its job: it runs now if the slot holds a running place, else {@link
     * Job#queued()} is called and it runs once a place frees up. On a slot the closed workers
     * dropped, {@link Job#dropped()} runs instead.
     */
    public void start(Job job) {
      boolean run;
      synchronized (BoundedWorkers.this) {
        this.job = job;
        if (state == State.RESERVED_WAITING) {
          state = State.WAITING;
          job.queued();
          return;
        }
        if (state != State.RESERVED && state != State.CLOSED) {
          return;
        }
        run = state == State.RESERVED;
        if (run) {
          state = State.RUNNING;
        }
      }
      if (run) {
        execute(this);
      } else {
        job.dropped();
      }
    }

    /**
     * Gives the place back: a running place goes to the next waiting request, a waiting one leaves
     * the queue and will never run. Idempotent.
     *
     * @return whether the slot was still waiting (its job never ran)
     */
    public boolean close() {
      synchronized (BoundedWorkers.this) {
        if (state == State.CLOSED) {
          return false;
        }
        if (state == State.RESERVED_WAITING || state == State.WAITING) {
          waiting.remove(this);
          state = State.CLOSED;
          return true;
        }
        state = State.CLOSED;
      }
      promoteNext();
      return false;
    }

    /** Whether the request still waits for a running place. */
    public boolean isWaiting() {
      synchronized (BoundedWorkers.this) {
        return state == State.WAITING || state == State.RESERVED_WAITING;
      }
    }
  }
}
