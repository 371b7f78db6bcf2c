package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.events.Event;
import dev.inferwatch.core.internal.CurrentRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: taken from {@code X-Request-Id} when valid (1 to 64 visible ASCII characters) or
 * made (16 hex digits), echoed on the response, current for the request ({@link CurrentRequest}:
 * the SLF4J MDC under {@code request_id} and a thread-local of the kit's), and carried by every
 * JSON error body. Never a metric label.
 *
 * <p>Work the kit hands to its own threads runs inside {@link #propagate}, so its log lines and
 * error bodies carry the id of the request that caused them.
 */
public final class RequestIds {

  /** The request and response header. */
  public static final String HEADER = "X-Request-Id";

  /** The MDC key, and the field of JSON error bodies and journal events. */
  public static final String MDC_KEY = Event.REQUEST_ID;

  /** Longest id accepted from a client. */
  public static final int MAX_LENGTH = 64;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

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
    long bits = ThreadLocalRandom.current().nextLong();
    byte[] digits = new byte[16];
    for (int i = digits.length - 1; i >= 0; i--) {
      digits[i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
    return new String(digits, StandardCharsets.ISO_8859_1);
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
    if (id == null) {
      return Scope.NONE;
    }
    String previous = current();
    CurrentRequest.set(id);
    return () -> CurrentRequest.set(previous);
  }

  /** {@code task} running with the current request id on whatever thread runs it. */
  public static Runnable propagate(Runnable task) {
    String id = current();
    if (id == null) {
      return task;
    }
    return () -> {
      try (Scope scope = open(id)) {
        task.run();
      }
    };
  }

  /** {@code task} running with the current request id on whatever thread runs it. */
  public static <T> Callable<T> propagate(Callable<T> task) {
    String id = current();
    if (id == null) {
      return task;
    }
    return () -> {
      try (Scope scope = open(id)) {
        return task.call();
      }
    };
  }

  /** An MDC change that {@link #close()} undoes; never throws. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    /** Changes nothing. */
    Scope NONE = () -> {};

    @Override
    void close();
  }
}
