package dev.inferwatch.benchmarks.load;

import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.servlet.chat.ChatModel;
import dev.inferwatch.servlet.chat.ChatRequest;
import dev.inferwatch.servlet.chat.ChatSink;
import dev.inferwatch.servlet.chat.ChatUsage;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor under the chat endpoint's streaming: an async SSE servlet with no metrics, no parsing
 * and no per-chunk serialisation, driven by the same model on the same kind of worker hop as {@code
 * ChatCompletionsServlet}, writing chunks byte for byte as recorded from one stream of that servlet
 * (the role chunk, one chunk per token, the finish chunk, {@code [DONE]}), each flushed.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new BareSseServlet(model, request, events)), "/v1/chat/completions");
 * }</pre>
 */
final class BareSseServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient ChatModel model;
  private final transient ChatRequest request;
  private final transient List<byte[]> events;
  private final transient ExecutorService workers =
      Executors.newCachedThreadPool(BareSseServlet::daemon);

  /**
   * Answers every POST with {@code model}'s stream for {@code request}, written as {@code events}.
   */
  BareSseServlet(ChatModel model, ChatRequest request, List<byte[]> events) {
    this.model = model;
    this.request = request;
    this.events = events;
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "bare-sse");
    thread.setDaemon(true);
    return thread;
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse response) throws IOException {
    req.getInputStream().readAllBytes();
    AsyncContext async = req.startAsync();
    async.setTimeout(0);
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    Sink sink = new Sink(async, response.getOutputStream());
    workers.execute(() -> model.stream(request, sink));
  }

  @Override
  public void destroy() {
    workers.shutdownNow();
  }

  /** Writes the recorded events in order: role before the first token, then one per token. */
  private final class Sink implements ChatSink {
    private final AsyncContext async;
    private final ServletOutputStream out;
    private int next;
    private volatile boolean cut;

    Sink(AsyncContext async, ServletOutputStream out) {
      this.async = async;
      this.out = out;
    }

    @Override
    public synchronized void delta(String text) {
      if (next == 0) {
        write(events.get(next++));
      }
      write(events.get(next++));
    }

    @Override
    public synchronized void complete(FinishReason finishReason, ChatUsage usage) {
      for (int i = events.size() - 2; i < events.size(); i++) {
        write(events.get(i));
      }
      async.complete();
    }

    @Override
    public void error(Throwable failure) {
      cut = true;
      async.complete();
    }

    @Override
    public boolean cancelled() {
      return cut;
    }

    @Override
    public void onCancel(Runnable callback) {}

    private void write(byte[] event) {
      try {
        out.write(event);
        out.flush();
      } catch (IOException e) {
        cut = true;
      }
    }
  }
}
