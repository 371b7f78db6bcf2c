package dev.inferwatch.core.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way the kit makes threads: daemon, named after what they do, and with the library's class
 * loader as context class loader.
 *
 * <p>Pool threads are created lazily from whichever thread submits work, often a request thread of
 * a web application; a new thread inherits that thread's context class loader and would pin the web
 * application's loader after an undeploy (Tomcat's leak warning). Resetting it to the loader of the
 * kit itself keeps a redeploy collectable.
 *
 * <pre>{@code
 * ExecutorService pool = Executors.newFixedThreadPool(4, DaemonThreads.pool("inferwatch-predict"));
 * Thread writer = DaemonThreads.start("inferwatch-events-writer", this::run);
 * DaemonThreads.stop(pool);
 * }</pre>
 */
public final class DaemonThreads {

  /**
   * How long {@link #stop} waits for interrupted work to end: a model's cleanup after an interrupt
   * takes a few hundred milliseconds, more on a loaded machine.
   */
  public static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private DaemonThreads() {}

  /** Threads for a pool, named {@code prefix-1}, {@code prefix-2}… */
  public static ThreadFactory pool(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> create(prefix + "-" + n.incrementAndGet(), task);
  }

  /** The thread of a single-threaded executor, named {@code name}. */
  public static ThreadFactory single(String name) {
    return task -> create(name, task);
  }

  /** Creates and starts one thread named {@code name}. */
  public static Thread start(String name, Runnable task) {
    Thread thread = create(name, task);
    thread.start();
    return thread;
  }

  /** An unstarted daemon thread named {@code name}. */
  public static Thread create(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.setContextClassLoader(DaemonThreads.class.getClassLoader());
    return thread;
  }

  /**
   * Interrupts {@code pool} and waits up to {@link #STOP_WAIT} for its threads, so a container
   * checking for leaked threads right after shutdown finds none; {@code null} is ignored.
   */
  public static void stop(ExecutorService pool) {
    if (pool == null) {
      return;
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
