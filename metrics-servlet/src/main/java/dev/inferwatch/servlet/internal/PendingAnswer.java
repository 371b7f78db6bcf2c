package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.internal.InternalErrors;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One non-streaming request (a chat completion, a prediction) on {@link BoundedWorkers}: whichever
 * comes first of the worker's answer, the timeout, a shutdown or the client leaving settles the
 * request, exactly once. Answers are JSON, written on the request's async context (or, for a
 * mapping without async support, on the request thread that waits in {@link #awaitAnswer}).
 *
 * <p>A timeout or a shutdown answers at once and interrupts the worker; a client that leaves while
 * its request waits drops it from the queue (it never runs) and interrupts it if it runs. The
 * subclass records each step through its hooks and turns results and failures into {@link Answer}s.
 */
public abstract class PendingAnswer implements BoundedWorkers.Job, AsyncListener {

  /** A response to write: status, a JSON-serialisable body, and what to record first. */
  public record Answer(int status, Object body, Runnable record) {}

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final AsyncContext async;
  private final InternalErrors errors;
  private final RequestIds.Context requestContext;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final CountDownLatch answered = new CountDownLatch(1);
  private volatile BoundedWorkers.Slot slot;
  private volatile ScheduledFuture<?> timeout;
  private Thread worker;

  /** A request answered on {@code async}; {@code async} null answers on the request thread. */
  protected PendingAnswer(
      HttpServletRequest request,
      HttpServletResponse response,
      AsyncContext async,
      InternalErrors errors) {
    this.request = request;
    this.response = response;
    this.async = async;
    this.errors = errors;
    // Workers, timers and shutdown settle the request too: each does it as the request's own.
    this.requestContext = RequestIds.capture(response);
  }

  /** The request is admitted: it runs on {@code slot} now or once it is its turn. */
  public final void start(BoundedWorkers.Slot slot) {
    this.slot = slot;
    if (async != null) {
      async.addListener(this);
    }
    slot.start(this);
  }

  /** Answers with {@link #timedOut()} after {@code timeoutNanos} unless settled before. */
  public final void timeout(ScheduledExecutorService timer, long timeoutNanos) {
    ScheduledFuture<?> t = timer.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    timeout = t;
    if (settled.get()) {
      t.cancel(false);
    }
  }

  /** For a mapping without async support: waits on the request thread until settled. */
  public final void awaitAnswer() {
    try {
      answered.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cut(this::shutdownAnswer);
    }
  }

  /** Our timeout: answers {@link #timedOut()} and interrupts the worker. */
  public final void expire() {
    cut(this::timedOut);
  }

  /** The server stops: answers {@link #shutdownAnswer()} and interrupts the worker. */
  public final void shutDown() {
    cut(this::shutdownAnswer);
  }

  @Override
  public final void queued() {
    markQueued();
  }

  @Override
  public final void run(BoundedWorkers.Slot slot) {
    try (RequestIds.Scope scope = RequestIds.open(requestContext)) {
      runInScope(slot);
    }
  }

  private void runInScope(BoundedWorkers.Slot slot) {
    synchronized (this) {
      if (settled.get()) {
        slot.close();
        return;
      }
      worker = Thread.currentThread();
    }
    Answer answer;
    try {
      markRunning();
      answer = compute();
    } catch (InterruptedException e) {
      answer = shutdownAnswer();
    } catch (Exception | LinkageError e) {
      answer = failed(e);
    } finally {
      synchronized (this) {
        worker = null;
        // Clears an interrupt that raced the end of compute(), before the thread goes back.
        Thread.interrupted();
      }
    }
    settle(answer);
    slot.close();
  }

  @Override
  public final void dropped() {
    try (RequestIds.Scope scope = RequestIds.open(requestContext)) {
      settle(shutdownAnswer());
    }
  }

  /** Counts the request as waiting for a worker. */
  protected abstract void markQueued();

  /** Counts the request as running on a worker. */
  protected abstract void markRunning();

  /** Runs the model on the worker thread; interrupted on timeout, shutdown or client gone. */
  protected abstract Answer compute() throws Exception;

  /** The answer to a failure of {@link #compute()}. */
  protected abstract Answer failed(Throwable failure);

  /** The answer when the request took longer than its timeout (504). */
  protected abstract Answer timedOut();

  /** The answer when the server stops first (503). */
  protected abstract Answer shutdownAnswer();

  /** Records a request whose client went away before its answer. */
  protected abstract void clientLeft();

  /** Runs once the request is settled, however (answered, timed out, cut, client gone). */
  protected void settled() {}

  private void cut(Supplier<Answer> answer) {
    try (RequestIds.Scope scope = RequestIds.open(requestContext)) {
      cutInScope(answer.get());
    }
  }

  private void cutInScope(Answer answer) {
    if (settle(answer)) {
      interruptWorker();
      BoundedWorkers.Slot s = slot;
      if (s != null && s.isWaiting()) {
        s.close();
      }
    }
  }

  private synchronized void interruptWorker() {
    if (worker != null) {
      worker.interrupt();
    }
  }

  /** Writes {@code answer} unless the request was settled; true when this call settled it. */
  private boolean settle(Answer answer) {
    if (!settled.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> t = timeout;
    if (t != null) {
      t.cancel(false);
    }
    try {
      answer.record().run();
      JsonBody.write(response, answer.status(), answer.body());
    } catch (IOException | IllegalStateException e) {
      // The client went away or the container ended the exchange: nothing to answer.
    } catch (RuntimeException e) {
      errors.record("answer.write", e);
    } finally {
      complete();
    }
    return true;
  }

  private void gone() {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> t = timeout;
    if (t != null) {
      t.cancel(false);
    }
    ClientGone.mark(request);
    try {
      response.setStatus(ClientGone.STATUS);
    } catch (RuntimeException e) {
      // A recycled response: the status no longer matters.
    }
    try {
      clientLeft();
    } catch (RuntimeException e) {
      errors.record("answer.gone", e);
    }
    BoundedWorkers.Slot s = slot;
    if (s != null && s.isWaiting()) {
      s.close();
    } else {
      interruptWorker();
    }
    complete();
  }

  private void complete() {
    try {
      settled();
    } catch (RuntimeException e) {
      errors.record("answer.settled", e);
    }
    answered.countDown();
    if (async != null) {
      try {
        async.complete();
      } catch (IllegalStateException e) {
        // Already completed by the container (its own error handling).
      }
    }
  }

  @Override
  public final void onComplete(AsyncEvent event) {
    // Completed by the container before we answered: the connection went away.
    gone();
  }

  @Override
  public final void onError(AsyncEvent event) {
    gone();
  }

  @Override
  public final void onTimeout(AsyncEvent event) {
    expire();
  }

  @Override
  public final void onStartAsync(AsyncEvent event) {}
}
