package dev.inferwatch.gpu;

import java.util.concurrent.ThreadFactory;

/**
 * The GPU module's daemon threads: named, and with the module's own class loader as context loader
 * rather than whatever the creating thread had (a request thread of another web app, say), so a
 * thread never pins a class loader it does not belong to.
 *
 * <pre>{@code
 * Thread xid = GpuThreads.daemon(this::run, "inferwatch-gpu-xid");
 * ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
 *     GpuThreads.factory("inferwatch-gpu-poller"));
 * }</pre>
 */
final class GpuThreads {

  private GpuThreads() {}

  /** An unstarted daemon thread running {@code task}. */
  static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.setContextClassLoader(GpuThreads.class.getClassLoader());
    return thread;
  }

  /** Makes every thread of an executor such a daemon thread, named {@code name}. */
  static ThreadFactory factory(String name) {
    return task -> daemon(task, name);
  }
}
