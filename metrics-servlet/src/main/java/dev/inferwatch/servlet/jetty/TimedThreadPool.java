package dev.inferwatch.servlet.jetty;

import dev.inferwatch.servlet.internal.Arrivals;
import java.util.concurrent.BlockingQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's thread pool, remembering when each job was queued: a request that waited for a thread is
 * timed from when its connection became readable, not from when a thread finally parsed it. Under
 * overload that wait is most of what a client sees. Give it to the server's constructor.
 *
 * <pre>{@code
 * Server server = new Server(new TimedThreadPool());
 * }</pre>
 */
public class TimedThreadPool extends QueuedThreadPool {

  /** Jetty's defaults: 8 to 200 threads. */
  public TimedThreadPool() {}

  /** Up to {@code maxThreads} threads. */
  public TimedThreadPool(int maxThreads) {
    super(maxThreads);
  }

  /**
   * As {@link QueuedThreadPool#QueuedThreadPool(int, int, int, BlockingQueue)}: the same sizes and
   * job queue as a pool configured elsewhere (Spring Boot's {@code server.jetty.threads.*}); a null
   * queue is Jetty's default.
   */
  public TimedThreadPool(
      int maxThreads, int minThreads, int idleTimeout, BlockingQueue<Runnable> queue) {
    super(maxThreads, minThreads, idleTimeout, queue);
  }

  @Override
  public void execute(Runnable job) {
    super.execute(Arrivals.queued(job));
  }
}
