package dev.inferwatch.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one reader of request bodies for chat and predict: bounded in size and, on an async context,
 * non-blocking (Servlet {@link ReadListener}) and bounded in time, so a client that sends half a
 * body holds no container thread and no more memory than the limit.
 *
 * <p>Outcomes: the whole body goes to {@link Handler#received}; a body over the limit is read and
 * dropped up to {@link #DRAIN_FACTOR} times the limit (so the client gets its 413 rather than a
 * reset) and refused with 413; a body not complete within the deadline is refused with 408; both
 * refusals close the connection. A client that aborts its body, or that the container times out, is
 * a client disconnect: the request is flagged ({@link ClientGone}) and answered {@value
 * ClientGone#STATUS} without a body, never a 5xx.
 *
 * <pre>{@code
 * AsyncContext async = request.startAsync();
 * BodyReader.read(async, maxBytes, timeoutNanos, timer, new BodyReader.Handler() {
 *   public void received(byte[] body) { ... answer, then async.complete() ... }
 *   public void refused(int status, String message) { writeError(status, message); }
 * });
 * }</pre>
 */
public final class BodyReader implements ReadListener {

  /** How long a client may take to send its body, unless {@code INFERWATCH_BODY_TIMEOUT_MS}. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

  /**
   * Bodies over the limit are read and dropped up to this many times the limit, so the client gets
   * its 413 instead of a connection reset; past that the connection is given up.
   */
  public static final int DRAIN_FACTOR = 4;

  private static final int CHUNK = 8192;

  /** Where the body goes. */
  public interface Handler {

    /**
     * The whole body, on a container thread (or the request thread): answer it and complete the
     * async context, now or later.
     */
    void received(byte[] body);

    /**
     * The body is refused with {@code status} (413 over the limit, 408 not in time): write the
     * error; the reader completes the async context afterwards.
     */
    void refused(int status, String message);
  }

  private final AsyncContext async;
  private final ServletInputStream in;
  private final Handler handler;
  private final Body body;
  private final long timeoutMillis;
  private final RequestIds.Context requestContext;
  private final byte[] chunk = new byte[CHUNK];
  private volatile ScheduledFuture<?> deadline;
  private boolean done;

  private BodyReader(
      AsyncContext async, ServletInputStream in, Handler handler, long maxBytes, long timeout) {
    this.async = async;
    this.in = in;
    this.handler = handler;
    this.body = new Body(maxBytes, declaredLength(async.getRequest()));
    this.timeoutMillis = timeout;
    // The handler runs on container and timer threads: as the request's own, for its id.
    this.requestContext = RequestIds.capture((HttpServletResponse) async.getResponse());
  }

  /**
   * Reads the body of {@code async}'s request without blocking, at most {@code maxBytes} kept, the
   * whole of it within {@code timeoutMillis} (the deadline runs on {@code timer}).
   */
  public static void read(
      AsyncContext async,
      long maxBytes,
      long timeoutMillis,
      ScheduledExecutorService timer,
      Handler handler)
      throws IOException {
    long declared = declaredLength(async.getRequest());
    if (declared > maxBytes * DRAIN_FACTOR) {
      BodyReader reader = new BodyReader(async, null, handler, maxBytes, timeoutMillis);
      reader.refuse(413, tooLarge(maxBytes));
      return;
    }
    ServletInputStream in = async.getRequest().getInputStream();
    BodyReader reader = new BodyReader(async, in, handler, maxBytes, timeoutMillis);
    reader.deadline =
        timer.schedule(
            () -> reader.refuse(408, "request body not received within " + timeoutMillis + " ms"),
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    in.setReadListener(reader);
  }

  /**
   * Reads the body on the calling thread, for mappings without async support: the body, or {@code
   * null} when it is over {@code maxBytes} (the rest drained up to {@link #DRAIN_FACTOR} times the
   * limit). No deadline applies; the container's idle timeout does.
   *
   * @throws IOException when the client went away before the end of its body
   */
  public static byte[] readBlocking(HttpServletRequest request, long maxBytes) throws IOException {
    Body body = new Body(maxBytes, declaredLength(request));
    if (body.drained()) {
      return null;
    }
    InputStream in = request.getInputStream();
    byte[] chunk = new byte[CHUNK];
    int n;
    while (!body.drained() && (n = in.read(chunk)) != -1) {
      body.add(chunk, n);
    }
    return body.overLimit() ? null : body.bytes();
  }

  /** {@code timeout} if it is positive, for builders; else IllegalArgumentException. */
  public static Duration checkTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("bodyTimeout must be positive, got " + timeout);
    }
    return timeout;
  }

  /** The message of a 413. */
  public static String tooLarge(long maxBytes) {
    return "request body is larger than " + maxBytes + " bytes";
  }

  @Override
  public void onDataAvailable() {
    try {
      while (in.isReady()) {
        int n = in.read(chunk);
        if (n < 0 || isDone()) {
          return;
        }
        body.add(chunk, n);
        if (body.drained()) {
          refuse(413, tooLarge(body.maxBytes));
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // A read after our own refusal or on a broken connection: the container reports the
      // connection through onError; our refusal has already answered.
      if (!isDone()) {
        clientGone();
      }
    }
  }

  @Override
  public void onAllDataRead() {
    if (body.overLimit()) {
      refuse(413, tooLarge(body.maxBytes));
      return;
    }
    if (!finish()) {
      return;
    }
    try (RequestIds.Scope scope = RequestIds.open(requestContext)) {
      handler.received(body.bytes());
    }
  }

  @Override
  public void onError(Throwable failure) {
    // An aborted upload or the container's idle timeout: the client's doing, never a 5xx.
    clientGone();
  }

  private void clientGone() {
    if (!finish()) {
      return;
    }
    HttpServletRequest request = (HttpServletRequest) async.getRequest();
    ClientGone.mark(request);
    try {
      ((HttpServletResponse) async.getResponse()).setStatus(ClientGone.STATUS);
      async.complete();
    } catch (RuntimeException e) {
      // Already completed by the container, which saw the connection go first.
    }
  }

  private void refuse(int status, String message) {
    if (!finish()) {
      return;
    }
    try {
      // The rest of the body is not read: the connection cannot carry another request.
      ((HttpServletResponse) async.getResponse()).setHeader("Connection", "close");
      try (RequestIds.Scope scope = RequestIds.open(requestContext)) {
        handler.refused(status, message);
      }
    } catch (RuntimeException e) {
      // The client went away while we answered; nothing more to tell it.
    } finally {
      try {
        async.complete();
      } catch (RuntimeException e) {
        // Already completed by the container.
      }
    }
  }

  private synchronized boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    ScheduledFuture<?> d = deadline;
    if (d != null) {
      d.cancel(false);
    }
    return true;
  }

  private synchronized boolean isDone() {
    return done;
  }

  private static long declaredLength(jakarta.servlet.ServletRequest request) {
    return request.getContentLengthLong();
  }

  /** The bytes kept so far, or only their count once past the limit. */
  private static final class Body {
    private final long maxBytes;
    private byte[] bytes;
    private int size;
    private long total;

    Body(long maxBytes, long declared) {
      this.maxBytes = maxBytes;
      // A declared length is a claim, not bytes: 300 clients declaring 10 MiB and sending nothing
      // must not cost 3 GiB, so the buffer starts small and grows with what arrives.
      this.bytes =
          new byte[(int) Math.min(Math.min(declared > 0 ? declared : CHUNK, maxBytes), 8L * CHUNK)];
      this.total = declared > maxBytes * DRAIN_FACTOR ? declared : 0;
    }

    void add(byte[] chunk, int n) {
      total += n;
      if (total > maxBytes) {
        bytes = null;
        return;
      }
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(size + n, 2L * size)));
      }
      System.arraycopy(chunk, 0, bytes, size, n);
      size += n;
    }

    boolean overLimit() {
      return total > maxBytes;
    }

    boolean drained() {
      return total > maxBytes * DRAIN_FACTOR;
    }

    byte[] bytes() {
      return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
  }
}
