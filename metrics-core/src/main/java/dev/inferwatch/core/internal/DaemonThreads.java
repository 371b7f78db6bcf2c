package dev.inferwatch.core.internal;

import io.prometheus.metrics.core.util.Scheduler;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

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
    return new Factory(() -> prefix + "-" + n.incrementAndGet());
  }

  /** The thread of a single-threaded executor, named {@code name}. */
  public static ThreadFactory single(String name) {
    return new Factory(() -> name);
  }

  /**
   * A one-thread scheduler named {@code name} that {@link #stop} can wait for to the end (the
   * wrapper {@code Executors.newSingleThreadScheduledExecutor} returns hides its threads).
   */
  public static ScheduledExecutorService scheduler(String name) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, single(name));
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
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
   * Interrupts {@code pool} and waits up to {@link #STOP_WAIT} for its threads to end, so a
   * container checking for leaked threads right after shutdown finds none; {@code null} is ignored.
   *
   * <p>A pool counts as terminated a moment before its last thread has returned from {@code run()};
   * for pools made with this class's factories the threads themselves are joined as well, since
   * Tomcat's check after an undeploy asks {@link Thread#isAlive()}.
   */
  public static void stop(ExecutorService pool) {
    if (pool == null) {
      return;
    }
    pool.shutdownNow();
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    try {
      pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (pool instanceof ThreadPoolExecutor executor
          && executor.getThreadFactory() instanceof Factory factory) {
        factory.join(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the threads the kit's libraries start for themselves and never stop, when {@code loader}
   * (a web application's) loaded the library: client_java's static {@code
   * prometheus-metrics-scheduler} (started by the first exemplar sample of any counter or
   * histogram). In {@code WEB-INF/lib} that thread holds the application's class loader after an
   * undeploy (Tomcat warns, and every redeploy leaks a loader); a library shared by the whole
   * container, or an embedding application, keeps its scheduler. Waits up to a second; returns
   * whether it stopped one; never throws.
   */
  public static boolean stopLibraryThreads(ClassLoader loader) {
    if (loader == null || Scheduler.class.getClassLoader() != loader) {
      return false;
    }
    try {
      Field field = Scheduler.class.getDeclaredField("executor");
      field.setAccessible(true);
      if (field.get(null) instanceof ExecutorService executor) {
        executor.shutdownNow();
        executor.awaitTermination(1, TimeUnit.SECONDS);
        // A terminated pool's last worker may still be running its exit: Tomcat's thread check,
        // which follows at once, would see it alive.
        joinThreadsNamed(SCHEDULER_THREAD, loader, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        return true;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LoggerFactory.getLogger(DaemonThreads.class)
          .warn("Inferwatch could not stop client_java's scheduler thread: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private static final String SCHEDULER_THREAD = "prometheus-metrics-scheduler-";

  private static void joinThreadsNamed(String prefix, ClassLoader loader, long deadlineNanos)
      throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith(prefix)
          && thread.getContextClassLoader() == loader
          && thread != Thread.currentThread()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left > 0) {
          thread.join(left);
        }
      }
    }
  }

  /**
   * Names and makes the kit's threads, remembering them (weakly) so {@link #stop} can join them.
   */
  private static final class Factory implements ThreadFactory {
    private final Supplier<String> names;
    private final List<WeakReference<Thread>> threads = new ArrayList<>();

    Factory(Supplier<String> names) {
      this.names = names;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = create(names.get(), task);
      synchronized (threads) {
        threads.removeIf(ref -> ref.get() == null || !isStartedOrNew(ref.get()));
        threads.add(new WeakReference<>(thread));
      }
      return thread;
    }

    void join(long deadlineNanos) throws InterruptedException {
      List<Thread> alive = new ArrayList<>();
      synchronized (threads) {
        for (WeakReference<Thread> ref : threads) {
          Thread thread = ref.get();
          if (thread != null && thread != Thread.currentThread()) {
            alive.add(thread);
          }
        }
      }
      for (Thread thread : alive) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) {
          return;
        }
        thread.join(left);
      }
    }

    private static boolean isStartedOrNew(Thread thread) {
      return thread.getState() != Thread.State.TERMINATED;
    }
  }
}
