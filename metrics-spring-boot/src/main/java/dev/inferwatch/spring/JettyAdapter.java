package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.jetty.InferwatchHandler;
import dev.inferwatch.servlet.jetty.TimedThreadPool;
import java.lang.reflect.Method;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/** The kit's Jetty handler and timed thread pool on Boot's Jetty factory (Boot 3 or 4). */
final class JettyAdapter {

  private JettyAdapter() {}

  /**
   * Swaps Boot's plain thread pool for a {@link TimedThreadPool} of the same sizes, and wraps the
   * server's handler through a server customizer.
   */
  static void install(Object factory, Inferwatch inferwatch, Integer queueCapacity)
      throws ReflectiveOperationException {
    Method get = factory.getClass().getMethod("getThreadPool");
    ThreadPool timed = timed((ThreadPool) get.invoke(factory), queueCapacity);
    if (timed != null) {
      factory.getClass().getMethod("setThreadPool", ThreadPool.class).invoke(factory, timed);
    }
    ContainerAdapterCustomizer.addCallback(
        factory,
        "addServerCustomizers",
        server -> InferwatchHandler.install((Server) server, inferwatch));
  }

  /**
   * A timed copy of {@code pool} as Boot's {@code JettyThreadPool} builds it (the queue from {@code
   * server.jetty.threads.max-queue-capacity}), Jetty's default where Boot set none, or null for any
   * other pool: the application's own, or virtual threads, which are not ours to replace.
   */
  static ThreadPool timed(ThreadPool pool, Integer queueCapacity) {
    if (pool == null) {
      return new TimedThreadPool();
    }
    if (pool.getClass() != QueuedThreadPool.class
        || ((QueuedThreadPool) pool).getVirtualThreadsExecutor() != null) {
      return null;
    }
    QueuedThreadPool plain = (QueuedThreadPool) pool;
    BlockingQueue<Runnable> queue =
        queueCapacity == null
            ? null
            : queueCapacity == 0
                ? new SynchronousQueue<>()
                : new BlockingArrayQueue<>(queueCapacity);
    TimedThreadPool timed =
        new TimedThreadPool(
            plain.getMaxThreads(), plain.getMinThreads(), plain.getIdleTimeout(), queue);
    timed.setName(plain.getName());
    timed.setReservedThreads(plain.getReservedThreads());
    return timed;
  }
}
