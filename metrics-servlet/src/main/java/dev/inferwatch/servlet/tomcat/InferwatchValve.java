package dev.inferwatch.servlet.tomcat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.HttpMethod;
import dev.inferwatch.core.http.HttpMetrics;
import dev.inferwatch.servlet.internal.Arrivals;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.AccessLog;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.AbstractProtocol;

/**
 * The optional Tomcat adapter (embedded Tomcat 10.1 / 11, Spring Boot's included): add it to the
 * engine's pipeline and
 *
 * <ul>
 *   <li>request durations run from the request's arrival instead of filter entry, and {@code
 *       http_server_request_queue_duration_seconds{method}} records the wait before the filter. The
 *       arrival is when the connector queued the read of the connection for a thread, with the
 *       {@link TimedThreadExecutor} that {@link #install} sets up, else the coyote request's start
 *       time (when a thread began reading it, which leaves out the wait for a thread);
 *   <li>requests Tomcat refuses before any filter sees them (a bad percent-encoding, an encoded
 *       {@code /}, no context) are counted under the route {@code __rejected__}. Tomcat answers
 *       those before the pipeline runs and only tells its access logs, so the valve is one.
 * </ul>
 *
 * <pre>{@code
 * Tomcat tomcat = new Tomcat();
 * ... // connector, contexts
 * InferwatchValve.install(tomcat, iw);
 * tomcat.start();
 * }</pre>
 *
 * <p>Elsewhere, add the valve to the engine and call {@link #timeQueue} on each connector; the
 * Spring Boot starter does both.
 */
public final class InferwatchValve extends ValveBase implements AccessLog {

  /** What {@code /info} reports as the origin of request durations. */
  static final String SOURCE = "Tomcat coyote request start time (InferwatchValve)";

  /** The same, where the connectors run on a {@link TimedThreadExecutor}. */
  static final String QUEUED_SOURCE =
      "Tomcat connector queue time, else coyote request start time (InferwatchValve,"
          + " TimedThreadExecutor)";

  private final HttpMetrics http;

  /** Times and counts the requests of the pipeline it is added to, into {@code iw}. */
  public InferwatchValve(Inferwatch iw) {
    super(true);
    if (iw == null) {
      throw new IllegalArgumentException("inferwatch must not be null");
    }
    this.http = iw.http();
    http.timedFromArrival(SOURCE);
  }

  /**
   * Adds the valve to the engine of {@code tomcat} and a {@link TimedThreadExecutor} to every
   * connector that has no executor of its own (see {@link #timeQueue}); call it after the
   * connectors are added and before {@code start()}.
   */
  public static InferwatchValve install(Tomcat tomcat, Inferwatch iw) {
    InferwatchValve valve = new InferwatchValve(iw);
    tomcat.getEngine().getPipeline().addValve(valve);
    for (Connector connector : tomcat.getService().findConnectors()) {
      timeQueue(connector, iw);
    }
    return valve;
  }

  /**
   * Gives {@code connector} a {@link TimedThreadExecutor} sized as its own pool would have been
   * (maximum and spare threads, queue size, priority), so the wait for a thread is timed too; for
   * containers others build, such as Spring Boot's. Leaves a connector alone that already has an
   * executor (a shared one, virtual threads) or belongs to no service yet; call it before the
   * connector starts.
   *
   * @return whether the connector now runs on a timed executor
   */
  public static boolean timeQueue(Connector connector, Inferwatch iw) {
    Service service = connector.getService();
    if (service == null
        || !(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)
        || protocol.getExecutor() != null) {
      return false;
    }
    TimedThreadExecutor executor = new TimedThreadExecutor();
    int index = service.findExecutors().length;
    executor.setName("inferwatch-timed-exec-" + index);
    executor.setNamePrefix(index == 0 ? "http-exec-" : "http-" + index + "-exec-");
    // Read before setExecutor: a protocol with an outside executor reports -1 for its own pool.
    executor.setMaxThreads(protocol.getMaxThreads());
    executor.setMinSpareThreads(Math.min(protocol.getMinSpareThreads(), protocol.getMaxThreads()));
    executor.setMaxQueueSize(protocol.getMaxQueueSize());
    executor.setThreadPriority(protocol.getThreadPriority());
    service.addExecutor(executor);
    protocol.setExecutor(executor);
    iw.http().timedFromArrival(QUEUED_SOURCE);
    return true;
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    long start = request.getCoyoteRequest().getStartTimeNanos();
    Arrivals.Slot slot = Arrivals.arrived(Arrivals.arrival(start == -1 ? Arrivals.NONE : start));
    try {
      getNext().invoke(request, response);
    } finally {
      slot.close();
    }
  }

  /** Called by Tomcat once per finished request, refused ones included. */
  @Override
  public void log(Request request, Response response, long time) {
    // A request mapped to a context went through its filter chain (or an application without the
    // kit): only the ones that never reached a context are the container's refusals.
    if (request.getContext() != null) {
      return;
    }
    int status = response.getStatus();
    if (status < 400) {
      return;
    }
    long start = request.getCoyoteRequest().getStartTimeNanos();
    long duration = start == -1 ? 0 : System.nanoTime() - start;
    http.rejected(HttpMethod.of(request.getMethod()), status, duration);
  }

  @Override
  public void setRequestAttributesEnabled(boolean enabled) {
    // Nothing to read from request attributes.
  }

  @Override
  public boolean getRequestAttributesEnabled() {
    return false;
  }
}
