package dev.inferwatch.servlet.chat;

import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.core.llm.LlmRecorder;
import dev.inferwatch.servlet.internal.BoundedWorkers;
import dev.inferwatch.servlet.internal.ClientGone;
import dev.inferwatch.servlet.internal.RequestIds;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One SSE chat stream on an async context: the {@link ChatSink} a model pushes into, and the job
 * that starts the model once a worker is free.
 *
 * <p>Headers are sent with the first token, so that a failure or a timeout before it still gets a
 * proper HTTP status. A stream that has to wait for a worker sends its headers after {@link
 * #HEARTBEAT_NANOS} of waiting and then an SSE comment each period: clients ignore comments, and a
 * write that fails shows the client left, so the stream is dropped from the queue and never runs
 * (neither container reports a closed connection otherwise while nothing is read or written). Every
 * way a stream can end goes through {@link #end}, which records the metrics once, cancels the model
 * when the stream was cut, gives the worker slot back and releases the async context.
 */
final class ChatStream implements ChatSink, AsyncListener, BoundedWorkers.Job {

  /** How long a waiting stream stays silent, and the period of its heartbeat comments after. */
  static final long HEARTBEAT_NANOS = 1_000_000_000L;

  /** How a stream ended. */
  enum Outcome {
    /** The model completed it. */
    FINISHED,
    /** The model failed. */
    FAILED,
    /** No token within the timeout. */
    TIMED_OUT,
    /** The client went away. */
    DISCONNECTED,
    /** The server shut down while it ran. */
    SHUT_DOWN
  }

  private final AsyncContext async;
  private final RequestIds.Context requestContext;
  private final ChatWire wire;
  private final LlmRecorder recorder;
  private final ChatServing owner;
  private final InternalErrors internalErrors;
  private final long timeoutNanos;
  private final ChatModel model;
  private final ChatRequest request;
  private final BoundedWorkers.Slot slot;
  private final List<Runnable> cancelCallbacks = new ArrayList<>(1);
  private ServletOutputStream out;
  private boolean started;
  private int sent;
  private volatile boolean ended;
  // Set under the lock with the last chunk written, so nothing follows [DONE] while the outcome is
  // recorded outside the lock and before end() sets ended.
  private boolean sealed;
  private volatile boolean cut;
  private volatile long lastActivityNanos = System.nanoTime();
  private volatile boolean waiting;
  private long nextHeartbeatNanos;

  ChatStream(
      AsyncContext async,
      ChatWire wire,
      LlmRecorder recorder,
      ChatServing owner,
      long timeoutNanos,
      ChatModel model,
      ChatRequest request,
      BoundedWorkers.Slot slot) {
    this.async = async;
    // The request's id, from its response: the model's, the watchdog's and the container's threads
    // end streams too, and their log lines and error objects carry it.
    this.requestContext = RequestIds.capture((HttpServletResponse) async.getResponse());
    this.wire = wire;
    this.recorder = recorder;
    this.owner = owner;
    this.internalErrors = owner.internalErrors();
    this.timeoutNanos = timeoutNanos;
    this.model = model;
    this.request = request;
    this.slot = slot;
  }

  @Override
  public void queued() {
    synchronized (this) {
      waiting = true;
      nextHeartbeatNanos = System.nanoTime() + HEARTBEAT_NANOS;
    }
    recorder.queued();
  }

  @Override
  public void run(BoundedWorkers.Slot slot) {
    synchronized (this) {
      if (ended) {
        return;
      }
      waiting = false;
    }
    recorder.running();
    try (RequestIds.Scope scope = RequestIds.open(requestContext)) {
      model.stream(request, this);
    } catch (RuntimeException | LinkageError e) {
      error(e);
    }
  }

  @Override
  public void dropped() {
    shutDown();
  }

  @Override
  public void delta(String text) {
    synchronized (this) {
      if (ended || sealed) {
        return;
      }
      try {
        if (!started) {
          begin();
        }
        write(wire.contentChunk(text == null ? "" : text));
        sent++;
        recorder.token();
        lastActivityNanos = System.nanoTime();
        return;
      } catch (IOException e) {
        // The client is gone; end() runs outside the lock because it calls back into the model.
      }
    }
    end(Outcome.DISCONNECTED, null);
  }

  @Override
  public void complete(FinishReason finishReason, ChatUsage usage) {
    FinishReason reason = finishReason == null ? FinishReason.STOP : finishReason;
    boolean delivered;
    synchronized (this) {
      if (ended || sealed) {
        return;
      }
      try {
        if (!started) {
          begin();
        }
        write(wire.finishChunk(reason));
        if (wire.includeUsage()) {
          write(wire.usageChunk(usage != null ? usage : new ChatUsage(0, sent)));
        }
        write(ChatWire.DONE);
        delivered = true;
        sealed = true;
      } catch (IOException e) {
        delivered = false;
      }
    }
    if (delivered) {
      ChatCompletionsServlet.finish(recorder, reason, usage);
      end(Outcome.FINISHED, null);
    } else {
      end(Outcome.DISCONNECTED, null);
    }
  }

  @Override
  public void error(Throwable failure) {
    String errorType = failure == null ? "error" : failure.getClass().getSimpleName();
    if (failure instanceof ChatModelException e) {
      fail(Outcome.FAILED, e, errorType);
    } else {
      String message = failure == null ? "model failed" : String.valueOf(failure.getMessage());
      fail(
          Outcome.FAILED,
          new ChatModelException(500, "server_error", message, null, "model_error"),
          errorType);
    }
  }

  @Override
  public boolean cancelled() {
    return cut;
  }

  @Override
  public void onCancel(Runnable callback) {
    boolean runNow;
    synchronized (this) {
      runNow = cut;
      if (!runNow) {
        cancelCallbacks.add(callback);
      }
    }
    if (runNow) {
      runQuietly(callback);
    }
  }

  /**
   * Called by the servlet's watchdog: cuts a stream that waited too long for a token (its wait for
   * a worker included), and sends a waiting stream its heartbeat.
   */
  void checkTimeout(long now) {
    if (ended) {
      return;
    }
    if (now - lastActivityNanos > timeoutNanos) {
      fail(
          Outcome.TIMED_OUT,
          new ChatModelException(
              504, "server_error", "no token within the timeout", null, "timeout"),
          "timeout");
    } else if (waiting) {
      heartbeat(now);
    }
  }

  private void heartbeat(long now) {
    synchronized (this) {
      if (ended || sealed || !waiting || now - nextHeartbeatNanos < 0) {
        return;
      }
      nextHeartbeatNanos = now + HEARTBEAT_NANOS;
      try {
        if (!started) {
          begin();
        }
        write(ChatWire.HEARTBEAT);
        return;
      } catch (IOException | RuntimeException e) {
        // The client left while waiting: dropped below, its model never started.
      }
    }
    end(Outcome.DISCONNECTED, null);
  }

  /** Cuts the stream because the server stops. */
  void shutDown() {
    fail(
        Outcome.SHUT_DOWN,
        new ChatModelException(503, "server_error", "server is shutting down", null, "shutdown"),
        "shutdown");
  }

  /** Ends the stream with {@code error}: an HTTP error before the first token, else a chunk. */
  private void fail(Outcome outcome, ChatModelException error, String errorType) {
    try (RequestIds.Scope scope = RequestIds.open(requestContext)) {
      failInScope(outcome, error, errorType);
    }
  }

  private void failInScope(Outcome outcome, ChatModelException error, String errorType) {
    String message = String.valueOf(error.getMessage());
    synchronized (this) {
      if (ended || sealed) {
        return;
      }
      try {
        if (started) {
          write(ChatWire.errorEvent(message, error.type(), error.code()));
          write(ChatWire.DONE);
        } else {
          HttpServletResponse response = (HttpServletResponse) async.getResponse();
          response.setStatus(error.status());
          response.setContentType("application/json");
          response.setCharacterEncoding("UTF-8");
          response
              .getOutputStream()
              .write(ChatWire.bytes(ChatWire.error(message, error.type(), null, error.code())));
        }
      } catch (IOException | RuntimeException e) {
        outcome = Outcome.DISCONNECTED;
      }
      sealed = true;
    }
    if (outcome != Outcome.DISCONNECTED) {
      recorder.fail(errorType, message);
    }
    end(outcome, errorType);
  }

  /**
   * The one place a stream ends: metrics for the outcome, the model cancelled when the stream was
   * cut, the async context completed, the stream forgotten. Runs at most once.
   */
  private void end(Outcome outcome, String errorType) {
    List<Runnable> callbacks;
    boolean answered;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      answered = started || sealed;
      boolean modelEnded = outcome == Outcome.FINISHED || outcome == Outcome.FAILED;
      cut = !modelEnded;
      callbacks = cut ? new ArrayList<>(cancelCallbacks) : List.of();
      cancelCallbacks.clear();
    }
    if (outcome == Outcome.DISCONNECTED) {
      recorder.disconnect();
      try {
        ClientGone.mark((HttpServletRequest) async.getRequest());
      } catch (RuntimeException e) {
        internalErrors.record("chat.clientGone", e);
      }
      if (!answered) {
        try {
          ((HttpServletResponse) async.getResponse()).setStatus(ClientGone.STATUS);
        } catch (RuntimeException e) {
          // Completed by the container already: the status is recorded from what it had.
        }
      }
    }
    for (Runnable callback : callbacks) {
      runQuietly(callback);
    }
    // A waiting stream leaves the queue and never runs; a running one frees its worker slot.
    slot.close();
    owner.forget(this);
    try {
      async.complete();
    } catch (RuntimeException e) {
      // Already completed by the container (it saw the connection close first).
    }
  }

  private void begin() throws IOException {
    HttpServletResponse response = (HttpServletResponse) async.getResponse();
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    out = response.getOutputStream();
    started = true;
    write(wire.roleChunk());
  }

  private void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  private void runQuietly(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      internalErrors.record("chat.cancel", e);
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    end(Outcome.DISCONNECTED, null);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    fail(
        Outcome.TIMED_OUT,
        new ChatModelException(504, "server_error", "the request timed out", null, "timeout"),
        "timeout");
  }

  @Override
  public void onError(AsyncEvent event) {
    end(Outcome.DISCONNECTED, null);
  }

  @Override
  public void onStartAsync(AsyncEvent event) {}
}
