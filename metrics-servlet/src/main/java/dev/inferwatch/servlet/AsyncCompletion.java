package dev.inferwatch.servlet;

import dev.inferwatch.core.http.HttpMethod;
import dev.inferwatch.servlet.internal.ClientGone;
import io.prometheus.metrics.model.snapshots.Labels;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records an async request when the container completes it. It keeps only values copied out of the
 * request (method, URI, start time, the trace context of its span), because Tomcat and Jetty
 * recycle request objects once the cycle ends, and re-registers itself when the application starts
 * async again.
 */
final class AsyncCompletion implements AsyncListener {

  private final MetricsFilter filter;
  private final HttpMethod method;
  private final String uri;
  private final int offset;
  private final long start;
  private final Labels exemplar;
  private final AtomicBoolean recorded = new AtomicBoolean();
  private volatile Throwable failure;
  private volatile boolean clientGone;

  AsyncCompletion(
      MetricsFilter filter,
      HttpMethod method,
      String uri,
      int offset,
      long start,
      Labels exemplar) {
    this.filter = filter;
    this.method = method;
    this.uri = uri;
    this.offset = offset;
    this.start = start;
    this.exemplar = exemplar;
  }

  @Override
  public void onComplete(AsyncEvent event) {
    long elapsed = System.nanoTime() - start;
    if (!recorded.compareAndSet(false, true)) {
      return;
    }
    HttpServletRequest request = request(event);
    HttpServletResponse response = response(event);
    boolean gone = clientGone || (request != null && ClientGone.isFlagged(request));
    int status =
        response == null
            ? (gone ? ClientGone.STATUS : 0)
            : gone ? MetricsFilter.goneStatus(response) : MetricsFilter.status(response);
    filter.recordContained(method, request, uri, offset, status, elapsed, failure, gone, exemplar);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    if (failure == null) {
      failure = new AsyncTimeout();
    }
  }

  @Override
  public void onError(AsyncEvent event) {
    Throwable t = event.getThrowable();
    if (ClientGone.isAbort(t)) {
      clientGone = true;
    } else if (t != null && failure == null) {
      failure = t;
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    AsyncContext context = event.getAsyncContext();
    if (context != null) {
      context.addListener(this);
    }
  }

  private static HttpServletRequest request(AsyncEvent event) {
    Object r = event.getSuppliedRequest();
    if (r == null && event.getAsyncContext() != null) {
      r = event.getAsyncContext().getRequest();
    }
    return r instanceof HttpServletRequest request ? request : null;
  }

  private static HttpServletResponse response(AsyncEvent event) {
    Object r = event.getSuppliedResponse();
    if (r == null && event.getAsyncContext() != null) {
      r = event.getAsyncContext().getResponse();
    }
    return r instanceof HttpServletResponse response ? response : null;
  }

  /** Stands for an async cycle that timed out, as the {@code error_type} label. */
  static final class AsyncTimeout extends RuntimeException {
    AsyncTimeout() {
      super("async request timed out", null, false, false);
    }
  }
}
