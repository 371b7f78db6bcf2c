package dev.inferwatch.servlet;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon threads a servlet runs its work on, named, and stopped before the container looks. */
final class WorkerThreads {

  private WorkerThreads() {}

  /** Daemon threads for a pool, named {@code prefix-1}, {@code prefix-2}… */
  static ThreadFactory pool(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> daemon(r, prefix + "-" + n.incrementAndGet());
  }

  /** The daemon thread of a single-threaded executor, named {@code name}. */
  static ThreadFactory single(String name) {
    return r -> daemon(r, name);
  }

  private static Thread daemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Interrupts {@code pool} and waits up to a second, so a container checking for leaked threads
   * right after {@code destroy()} finds none.
   */
  static void stop(ExecutorService pool) {
    if (pool == null) {
      return;
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
