package dev.inferwatch.core.internal;

import dev.inferwatch.core.events.Event;
import io.prometheus.metrics.model.snapshots.Labels;
import org.slf4j.MDC;

/**
 * The id of the request this thread works for: set by the servlet filter (and by the kit's worker
 * threads for the request they serve), mirrored into the SLF4J MDC under {@value Event#REQUEST_ID}
 * for log lines. Kept in a thread-local of its own as well, because the MDC is a no-op under some
 * SLF4J bindings (slf4j-simple, slf4j-nop) and error bodies must not depend on the host's logging.
 *
 * <p>A kit thread working for a request may also hold the trace context of the request's span,
 * captured on the request's thread, as exemplar labels: {@link TraceExemplars} falls back to it.
 */
public final class CurrentRequest {

  private static final ThreadLocal<String> ID = new ThreadLocal<>();
  private static final ThreadLocal<Labels> EXEMPLAR = new ThreadLocal<>();

  private CurrentRequest() {}

  /** The current request id, or null outside a request. */
  public static String id() {
    return ID.get();
  }

  /** Makes {@code id} current on this thread (null clears it). */
  public static void set(String id) {
    if (id == null) {
      clear();
      return;
    }
    ID.set(id);
    MDC.put(Event.REQUEST_ID, id);
  }

  /** The trace exemplar of the request this kit thread works for, or null. */
  public static Labels exemplar() {
    return EXEMPLAR.get();
  }

  /** Makes {@code exemplar} the current request's trace exemplar on this thread (null clears). */
  public static void exemplar(Labels exemplar) {
    EXEMPLAR.set(exemplar);
  }

  /** Clears the current request id on this thread. */
  public static void clear() {
    // set(null), not remove(): the thread's entry stays, so the next request allocates none.
    ID.set(null);
    MDC.remove(Event.REQUEST_ID);
  }
}
