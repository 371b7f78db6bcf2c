package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.events.Event;
import dev.inferwatch.core.internal.CurrentRequest;
import dev.inferwatch.core.internal.TraceExemplars;
import io.prometheus.metrics.model.snapshots.Labels;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: taken from {@code X-Request-Id} when valid (1 to 64 visible ASCII characters) or
 * made (16 hex digits), echoed on the response, current for the request ({@link CurrentRequest}:
 * the SLF4J MDC under {@code request_id} and a thread-local of the kit's), and carried by every
 * JSON error body. Never a metric label.
 *
 * <p>Work the kit hands to its own threads (body readers, workers, timers, streams) {@link
 * #capture}s the request's {@link Context} on the way and runs inside {@link #open(Context)}, so
 * its log lines, error bodies and exemplars belong to the request that caused them.
 */
public final class RequestIds {

  /** The request and response header. */
  public static final String HEADER = "X-Request-Id";

  /** The MDC key, and the field of JSON error bodies and journal events. */
  public static final String MDC_KEY = Event.REQUEST_ID;

  /** Longest id accepted from a client. */
  public static final int MAX_LENGTH = 64;

  private static final HexFormat HEX = HexFormat.of();

  private RequestIds() {}

  /** {@code incoming} when it is a valid id, else a new one. */
  public static String accept(String incoming) {
    return valid(incoming) ? incoming : generate();
  }

  /** Whether {@code id} has 1 to 64 characters, each visible ASCII (0x21 to 0x7e). */
  public static boolean valid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** A new id: 16 lowercase hex digits (64 random bits). */
  public static String generate() {
    // HexFormat builds the string over its own digits, without the copy a new String(byte[]) makes.
    return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** The id of the request this thread works for, or null. */
  public static String current() {
    return CurrentRequest.id();
  }

  /** The id echoed on {@code response}, else {@link #current()}; null when there is none. */
  public static String of(HttpServletResponse response) {
    String id = null;
    try {
      id = response == null ? null : response.getHeader(HEADER);
    } catch (RuntimeException e) {
      // A recycled response: fall back to the thread's id.
    }
    return id != null ? id : current();
  }

  /**
   * Makes {@code id} current (and puts it in the MDC) until the returned scope closes, which
   * restores what was there; a null id changes nothing.
   */
  public static Scope open(String id) {
    return id == null ? Scope.NONE : open(new Context(id, CurrentRequest.exemplar()));
  }

  /**
   * What a kit thread needs to work as {@code response}'s request: its id (from the response) and
   * the trace context of the span current now. Call it on the request's thread, or within a scope
   * opened for the request.
   */
  public static Context capture(HttpServletResponse response) {
    return new Context(of(response), TraceExemplars.current());
  }

  /** Makes {@code context} current until the returned scope closes, which restores what was. */
  public static Scope open(Context context) {
    if (context == null || (context.id() == null && context.exemplar() == null)) {
      return Scope.NONE;
    }
    String previousId = current();
    Labels previousExemplar = CurrentRequest.exemplar();
    CurrentRequest.set(context.id());
    CurrentRequest.exemplar(context.exemplar());
    return () -> {
      CurrentRequest.set(previousId);
      CurrentRequest.exemplar(previousExemplar);
    };
  }

  /**
   * A request as another thread takes it over: its id and its span's trace context (exemplar
   * labels), either null.
   *
   * @param id the request id
   * @param exemplar {@code trace_id} and {@code span_id} labels
   */
  public record Context(String id, Labels exemplar) {}

  /** An MDC change that {@link #close()} undoes; never throws. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    /** Changes nothing. */
    Scope NONE = () -> {};

    @Override
    void close();
  }
}
