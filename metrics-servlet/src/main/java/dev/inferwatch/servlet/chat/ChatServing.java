package dev.inferwatch.servlet.chat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.internal.InternalErrors;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.llm.LlmRecorder;
import dev.inferwatch.servlet.internal.BodyReader;
import dev.inferwatch.servlet.internal.BoundedWorkers;
import dev.inferwatch.servlet.internal.JsonBody;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What one started {@link ChatCompletionsServlet} runs: the bounded workers, the watchdog (token
 * timeouts, heartbeats of waiting streams, body deadlines), and the requests in flight, from the
 * arrival of their body to their end.
 */
final class ChatServing {

  /** What a 429 asks the client to wait, in seconds. */
  static final int RETRY_AFTER_SECONDS = 1;

  private static final long WATCHDOG_PERIOD_MILLIS = 100;

  /** The settings of one start. */
  record Limits(
      long timeoutNanos,
      long maxRequestBytes,
      long shutdownGraceNanos,
      long bodyTimeoutMillis,
      int maxConcurrent,
      int maxQueued) {}

  private final Inferwatch iw;
  private final List<ChatModel> models;
  private final Limits limits;
  private final BoundedWorkers workers;
  private final ScheduledExecutorService watchdog;
  private final Set<ChatStream> streams = ConcurrentHashMap.newKeySet();
  private final Set<PendingCompletion> completions = ConcurrentHashMap.newKeySet();
  private volatile boolean shuttingDown;

  ChatServing(Inferwatch iw, List<ChatModel> models, Limits limits) {
    this.iw = iw;
    this.models = models;
    this.limits = limits;
    for (ChatModel model : models) {
      iw.llm().allowModel(model.id());
    }
    this.workers =
        new BoundedWorkers("inferwatch-chat", limits.maxConcurrent(), limits.maxQueued());
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.single("inferwatch-chat-watch"));
    watchdog.scheduleWithFixedDelay(
        this::checkTimeouts, WATCHDOG_PERIOD_MILLIS, WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Reads the body of {@code async}'s request without blocking, then accepts it. */
  void read(AsyncContext async) throws IOException {
    HttpServletResponse response = (HttpServletResponse) async.getResponse();
    BodyReader.read(
        async,
        limits.maxRequestBytes(),
        limits.bodyTimeoutMillis(),
        watchdog,
        new BodyReader.Handler() {
          @Override
          public void received(byte[] body) {
            accept(async, body);
          }

          @Override
          public void refused(int status, String message) {
            String code = status == 413 ? "request_too_large" : "request_timeout";
            writeError(
                response,
                new ChatModelException(status, "invalid_request_error", message, null, code));
          }
        });
  }

  /** The whole body arrived (a container thread): parse, choose the model, admit or refuse. */
  private void accept(AsyncContext async, byte[] body) {
    HttpServletResponse response = (HttpServletResponse) async.getResponse();
    try {
      ChatRequestReader.Parsed parsed =
          ChatRequestReader.read(body, models.size() == 1 ? models.get(0).id() : null);
      ChatModel model = select(parsed.request().model());
      if (!model.ready()) {
        throw ChatModelException.notReady("model " + model.id() + " is not ready");
      }
      checkServing();
      BoundedWorkers.Slot slot = workers.admit();
      if (slot == null) {
        throw rateLimited();
      }
      try {
        admitted(async, model, parsed, slot);
      } catch (RuntimeException e) {
        slot.close();
        throw e;
      }
    } catch (ChatModelException e) {
      writeError(response, e);
      async.complete();
    } catch (RuntimeException e) {
      // A ChatModel breaking its contract (id(), ready() throwing) must not reach the container.
      iw.internalErrors().record("chat.accept", e);
      writeError(
          response,
          new ChatModelException(500, "server_error", "model failed", null, "model_error"));
      async.complete();
    }
  }

  private void admitted(
      AsyncContext async, ChatModel model, ChatRequestReader.Parsed p, BoundedWorkers.Slot slot) {
    ChatRequest chat = p.request();
    boolean stream = chat.stream();
    LlmRecorder recorder = iw.llm().serve(model.provider(), model.id(), LlmMetrics.CHAT, stream);
    if (chat.maxTokens() != null) {
      recorder.maxTokens(chat.maxTokens());
    }
    ChatWire wire = new ChatWire(newId(), now(), model.id(), stream && p.includeUsage());
    if (stream) {
      ChatStream s =
          new ChatStream(async, wire, recorder, this, limits.timeoutNanos(), model, chat, slot);
      async.addListener(s);
      streams.add(s);
      slot.start(s);
    } else {
      PendingCompletion pending = new PendingCompletion(async, this, model, chat, wire, recorder);
      completions.add(pending);
      pending.timeout(watchdog, limits.timeoutNanos());
      pending.start(slot);
    }
  }

  /** Refuses new requests while the servlet stops. */
  void checkServing() {
    if (shuttingDown) {
      throw ChatModelException.notReady("server is shutting down");
    }
  }

  /** Lets in-flight requests finish within the grace period, then cuts them; stops the threads. */
  void stop() {
    shuttingDown = true;
    long deadline = System.nanoTime() + limits.shutdownGraceNanos();
    while ((!streams.isEmpty() || !completions.isEmpty()) && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (ChatStream stream : new ArrayList<>(streams)) {
      stream.shutDown();
    }
    for (PendingCompletion pending : new ArrayList<>(completions)) {
      pending.shutDown();
    }
    // The watchdog first: the workers' wait below outlasts its thread's exit.
    DaemonThreads.stop(watchdog);
    workers.close();
  }

  int activeStreams() {
    return streams.size();
  }

  int running() {
    return workers.running();
  }

  int waiting() {
    return workers.waiting();
  }

  void forget(ChatStream stream) {
    streams.remove(stream);
  }

  void forget(PendingCompletion pending) {
    completions.remove(pending);
  }

  InternalErrors internalErrors() {
    return iw.internalErrors();
  }

  private void checkTimeouts() {
    long now = System.nanoTime();
    for (ChatStream stream : streams) {
      try {
        stream.checkTimeout(now);
      } catch (RuntimeException e) {
        iw.internalErrors().record("chat.watchdog", e);
      }
    }
  }

  /** The served model {@code id}, else 404 as OpenAI answers it. */
  private ChatModel select(String id) {
    for (ChatModel model : models) {
      if (model.id().equals(id)) {
        return model;
      }
    }
    throw new ChatModelException(
        404,
        "invalid_request_error",
        "The model `" + id + "` does not exist",
        "model",
        "model_not_found");
  }

  private ChatModelException rateLimited() {
    return new ChatModelException(
        429,
        "requests",
        "server is at capacity ("
            + limits.maxConcurrent()
            + " requests running, "
            + limits.maxQueued()
            + " waiting); retry after "
            + RETRY_AFTER_SECONDS
            + " s",
        null,
        "rate_limit_exceeded");
  }

  /** Writes {@code error} as an OpenAI error object, unless the response is already committed. */
  static void writeError(HttpServletResponse response, ChatModelException error) {
    try {
      if (response.isCommitted()) {
        return;
      }
      if (error.status() == 429) {
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      }
      JsonBody.write(
          response,
          error.status(),
          ChatWire.error(
              String.valueOf(error.getMessage()), error.type(), error.param(), error.code()));
    } catch (IOException | RuntimeException e) {
      // The client went away before its error: nothing left to tell it.
    }
  }

  private static String newId() {
    return "chatcmpl-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
