package dev.inferwatch.testkit;

import dev.inferwatch.servlet.chat.ChatRequest;
import dev.inferwatch.servlet.chat.ChatSink;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** One stream of a {@link FakeChatModel}: a task that reschedules itself once per chunk. */
final class FakeGeneration implements Runnable {
  private final FakeChatModel model;
  private final ChatRequest request;
  private final ChatSink sink;
  private final List<String> words;
  private int sent;
  private volatile ScheduledFuture<?> next;
  private final AtomicBoolean done = new AtomicBoolean();

  FakeGeneration(FakeChatModel model, ChatRequest request, ChatSink sink) {
    this.model = model;
    this.request = request;
    this.sink = sink;
    this.words = model.answer(request);
  }

  void start() {
    model.activeStreams.incrementAndGet();
    sink.onCancel(
        () -> {
          if (end()) {
            model.cancellations.incrementAndGet();
            ScheduledFuture<?> f = next;
            if (f != null) {
              f.cancel(false);
            }
          }
        });
    schedule(model.firstTokenNanos);
  }

  private void schedule(long delayNanos) {
    try {
      next = model.scheduler.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      if (end()) {
        sink.error(e);
      }
    }
  }

  @Override
  public void run() {
    if (done.get() || sink.cancelled()) {
      return;
    }
    if (model.failure == FakeChatModel.Failure.BEFORE_FIRST_TOKEN && sent == 0
        || model.failure == FakeChatModel.Failure.MID_STREAM && sent >= model.failAfterTokens) {
      if (end()) {
        sink.error(new IllegalStateException("fake model failed after " + sent + " tokens"));
      }
      return;
    }
    if (sent == words.size()) {
      if (end()) {
        sink.complete(model.finishReason(request, words), model.usage(request, sent));
      }
      return;
    }
    int end = Math.min(words.size(), sent + model.tokensPerChunk);
    if (model.failure == FakeChatModel.Failure.MID_STREAM) {
      end = Math.min(end, Math.max(model.failAfterTokens, sent + 1));
    }
    sink.delta(String.join("", words.subList(sent, end)));
    sent = end;
    if (sent == words.size() && model.failure != FakeChatModel.Failure.MID_STREAM) {
      run();
    } else {
      schedule(model.tokenDelayNanos);
    }
  }

  private boolean end() {
    if (done.compareAndSet(false, true)) {
      model.activeStreams.decrementAndGet();
      return true;
    }
    return false;
  }
}
