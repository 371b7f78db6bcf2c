package dev.inferwatch.core.internal;

import io.prometheus.metrics.core.util.Scheduler;
import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads that the kit's libraries start for themselves and never stop: client_java's static {@code
 * prometheus-metrics-scheduler} (started by the first exemplar sample of any counter or histogram,
 * and kept for the life of its class).
 *
 * <p>When the library lives in a web application's {@code WEB-INF/lib}, that thread holds the
 * application's class loader after an undeploy (Tomcat warns, and every redeploy leaks a loader).
 * {@link #stopOwnedBy} stops it, but only when the library was loaded by that application's loader:
 * a library shared by the whole container, or an embedding application, keeps its scheduler.
 */
public final class LibraryThreads {

  private static final Logger log = LoggerFactory.getLogger(LibraryThreads.class);

  private LibraryThreads() {}

  /**
   * Stops client_java's scheduler when {@code loader} (a web application's) loaded it, and waits up
   * to a second for its thread; returns whether it did. Never throws.
   */
  public static boolean stopOwnedBy(ClassLoader loader) {
    if (loader == null || Scheduler.class.getClassLoader() != loader) {
      return false;
    }
    try {
      Field field = Scheduler.class.getDeclaredField("executor");
      field.setAccessible(true);
      if (field.get(null) instanceof ExecutorService executor) {
        executor.shutdownNow();
        executor.awaitTermination(1, TimeUnit.SECONDS);
        return true;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Inferwatch could not stop client_java's scheduler thread: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
