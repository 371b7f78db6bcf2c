package dev.inferwatch.servlet.jetty;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.HttpMethod;
import dev.inferwatch.core.http.HttpMetrics;
import dev.inferwatch.servlet.internal.Arrivals;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * The optional Jetty 12 adapter: {@link #install} it on the server that holds the {@code
 * MetricsFilter} and
 *
 * <ul>
 *   <li>request durations run from the request's arrival instead of filter entry, and {@code
 *       http_server_request_queue_duration_seconds{method}} records the wait before the filter. The
 *       arrival is when Jetty queued the read of the connection for a thread, where the server runs
 *       on a {@link TimedThreadPool}, else Jetty's core {@code Request.getBeginNanoTime()} (when a
 *       thread began parsing it, which leaves out the wait for a thread);
 *   <li>requests Jetty refuses before any filter sees them (a bad percent-encoding, an ambiguous
 *       {@code //} path, an encoded {@code /}, no context) are counted under the route {@code
 *       __rejected__}. Jetty refuses URI violations before it calls any handler and tells only its
 *       request log, so the adapter is both a handler wrapper and a request log.
 * </ul>
 *
 * <pre>{@code
 * Server server = new Server(new TimedThreadPool());
 * ... // connector, context
 * server.setHandler(context);
 * InferwatchHandler.install(server, iw);
 * }</pre>
 */
public final class InferwatchHandler extends Handler.Wrapper implements RequestLog {

  /** What {@code /info} reports as the origin of request durations. */
  static final String SOURCE = "Jetty request begin time (InferwatchHandler)";

  /** The same, where the server runs on a {@link TimedThreadPool}. */
  static final String QUEUED_SOURCE =
      "Jetty thread pool queue time, else request begin time (InferwatchHandler, TimedThreadPool)";

  // The paths of the requests Jetty's HttpConnection.badMessage() makes up (Jetty 12.0 and 12.1).
  private static final String UNPARSEABLE_BAD_URI = "/badURI";
  private static final String UNPARSEABLE_MESSAGE = "/badMessage";

  private final HttpMetrics http;

  /** Times and counts the requests {@code handler} receives, into {@code iw}. */
  public InferwatchHandler(Inferwatch iw, Handler handler) {
    super(handler);
    if (iw == null) {
      throw new IllegalArgumentException("inferwatch must not be null");
    }
    this.http = iw.http();
    http.timedFromArrival(SOURCE);
  }

  /**
   * Wraps the server's handler (set it first) and adds this adapter to the server's request log,
   * beside any log already there; call before the server starts.
   */
  public static InferwatchHandler install(Server server, Inferwatch iw) {
    InferwatchHandler adapter = new InferwatchHandler(iw, server.getHandler());
    server.setHandler(adapter);
    if (server.getThreadPool() instanceof TimedThreadPool) {
      iw.http().timedFromArrival(QUEUED_SOURCE);
    }
    RequestLog existing = server.getRequestLog();
    server.setRequestLog(existing == null ? adapter : new RequestLog.Collection(existing, adapter));
    return adapter;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Arrivals.Slot slot = Arrivals.arrived(Arrivals.arrival(request.getBeginNanoTime()));
    boolean handled = false;
    Throwable failure = null;
    try {
      handled = super.handle(request, response, callback);
      return handled;
    } catch (Exception | Error e) {
      failure = e;
      throw e;
    } finally {
      if (!slot.close()) {
        // Jetty writes its refusal (400, or 404 when nothing handled the request) without calling
        // the filter; the status is set by the time handle() returns.
        int status = failure != null ? 500 : handled ? response.getStatus() : 404;
        if (status >= 400) {
          http.rejected(
              HttpMethod.of(request.getMethod()),
              status,
              System.nanoTime() - request.getBeginNanoTime());
        }
      }
    }
  }

  /**
   * Called by Jetty once per finished request, refused ones included: counts those it refused
   * before any handler ran, a URI its compliance mode forbids or one it could not parse.
   */
  @Override
  public void log(Request request, Response response) {
    try {
      if (response.getStatus() < 400 || !refusedBeforeHandling(request)) {
        return;
      }
      http.rejected(
          HttpMethod.of(request.getMethod()),
          response.getStatus(),
          System.nanoTime() - request.getBeginNanoTime());
    } catch (RuntimeException e) {
      // A request log must never fail the exchange; a request Jetty could not describe is skipped.
    }
  }

  private static boolean refusedBeforeHandling(Request request) {
    HttpURI uri = request.getHttpURI();
    if (uri == null) {
      return false;
    }
    // A request line Jetty could not parse is answered on a request it makes up for the purpose.
    String path = uri.getPath();
    if (UNPARSEABLE_BAD_URI.equals(path) || UNPARSEABLE_MESSAGE.equals(path)) {
      return true;
    }
    if (!uri.hasViolations()) {
      return false;
    }
    UriCompliance compliance =
        request.getConnectionMetaData().getHttpConfiguration().getUriCompliance();
    return UriCompliance.checkUriCompliance(compliance, uri, null) != null;
  }
}
