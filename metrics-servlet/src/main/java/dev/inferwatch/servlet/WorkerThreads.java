package dev.inferwatch.servlet;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon threads a servlet runs its work on, named, and stopped before the container looks. */
final class WorkerThreads {

  private WorkerThreads() {}

  /**
   * Daemon threads named {@code prefix-1}, {@code prefix-2}…; a single thread is just {@code
   * prefix}.
   */
  static ThreadFactory named(String prefix, boolean numbered) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, numbered ? prefix + "-" + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
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
