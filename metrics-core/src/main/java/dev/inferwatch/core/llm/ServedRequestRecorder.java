package dev.inferwatch.core.llm;

import dev.inferwatch.core.events.EventType;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link LlmRecorder} of one served request, over the bound series of its (provider, model,
 * operation) tuple: after that lookup the per-token path is two field reads and one observation.
 * The trace context of the span current when the request was served is kept, so the duration and
 * the time to first token carry it as an exemplar though they are recorded on other threads.
 *
 * <p>One state word makes the running and waiting gauges exact: each of {@link #queued()}, {@link
 * #running()} and the end moves it once, and whoever moves it away from a counted state undoes that
 * count, whatever thread gets there first.
 */
final class ServedRequestRecorder implements LlmRecorder {

  // Every duration is nanoseconds times this: a multiply is a few cycles cheaper than a divide on
  // the per-token path, and one constant keeps the other paths consistent with it.
  private static final double NANOS_TO_SECONDS = 1e-9;

  private static final int NEW = 0;
  private static final int QUEUED = 1;
  private static final int RUNNING = 2;
  private static final int ENDED = 3;

  private final LlmServerSeries series;
  private final boolean streaming;
  private final long startNanos;
  private final Labels exemplar;
  private final AtomicInteger state = new AtomicInteger(NEW);
  private long firstTokenNanos;
  private long lastTokenNanos;
  private int tokens;

  ServedRequestRecorder(
      LlmServerSeries series, boolean streaming, long startNanos, Labels exemplar) {
    this.exemplar = exemplar;
    this.series = series;
    this.streaming = streaming;
    this.startNanos = startNanos;
    if (streaming) {
      series.streamsActive.inc();
    }
  }

  @Override
  public void queued() {
    if (state.compareAndSet(NEW, QUEUED)) {
      try {
        series.waiting.inc();
      } catch (RuntimeException e) {
        series.metrics.internalErrors.record("llm.queued", e);
      }
    }
  }

  @Override
  public void running() {
    int s = state.get();
    while (s == NEW || s == QUEUED) {
      if (state.compareAndSet(s, RUNNING)) {
        try {
          if (s == QUEUED) {
            series.waiting.dec();
          }
          series.running.inc();
          series.queueTime.observe((System.nanoTime() - startNanos) * NANOS_TO_SECONDS);
        } catch (RuntimeException e) {
          series.metrics.internalErrors.record("llm.running", e);
        }
        return;
      }
      s = state.get();
    }
  }

  @Override
  public void maxTokens(long maxTokens) {
    try {
      if (maxTokens > 0) {
        series.maxTokens.observe(maxTokens);
      }
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.maxTokens", e);
    }
  }

  @Override
  public void token() {
    try {
      long now = System.nanoTime();
      if (tokens == 0) {
        firstTokenNanos = now;
      } else {
        series.interTokenLatency.observe((now - lastTokenNanos) * NANOS_TO_SECONDS);
      }
      lastTokenNanos = now;
      tokens++;
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.token", e);
    }
  }

  @Override
  public void finish(
      FinishReason reason,
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long reasoningTokens) {
    if (!end()) {
      return;
    }
    try {
      FinishReason r = reason == null ? FinishReason.STOP : reason;
      long now = System.nanoTime();
      observe(series.duration, (now - startNanos) * NANOS_TO_SECONDS);
      series.requests(r).inc();
      long output = outputTokens >= 0 ? outputTokens : (tokens > 0 ? tokens : -1);
      series.tokens.observe(inputTokens, output, cacheReadTokens, reasoningTokens);
      if (r.successful() && tokens > 0) {
        observe(series.timeToFirstToken, (firstTokenNanos - startNanos) * NANOS_TO_SECONDS);
        if (output > 1) {
          // (duration - TTFT) / (output - 1): the tokens after the first, however many a chunk
          // held.
          series.timePerOutputToken.observe(
              (now - firstTokenNanos) * NANOS_TO_SECONDS / (output - 1));
        }
      }
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.finish", e);
    }
  }

  @Override
  public void fail(String errorType) {
    fail(errorType, null);
  }

  @Override
  public void fail(String errorType, String message) {
    if (!end()) {
      return;
    }
    try {
      observe(
          series.failedDuration(errorType), (System.nanoTime() - startNanos) * NANOS_TO_SECONDS);
      series.requests(FinishReason.ERROR).inc();
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.fail", e);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("operation", series.operation);
    fields.put("provider", series.provider);
    fields.put("error_type", errorType);
    fields.put("tokens", tokens);
    series.metrics.events.emit(
        EventType.LLM_FAILED,
        series.model,
        message == null ? errorType : errorType + ": " + message,
        fields);
  }

  @Override
  public void disconnect() {
    if (!end()) {
      return;
    }
    try {
      if (streaming) {
        series.disconnects.inc();
      }
      observe(
          series.failedDuration(FinishReason.ABORT.label()),
          (System.nanoTime() - startNanos) * NANOS_TO_SECONDS);
      series.requests(FinishReason.ABORT).inc();
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.disconnect", e);
    }
  }

  @Override
  public int tokens() {
    return tokens;
  }

  @Override
  public long timeToFirstTokenNanos() {
    return tokens == 0 ? -1 : firstTokenNanos - startNanos;
  }

  private void observe(DistributionDataPoint point, double seconds) {
    if (exemplar == null) {
      point.observe(seconds);
    } else {
      point.observeWithExemplar(seconds, exemplar);
    }
  }

  /** Moves to the end state once, undoing whichever gauges the request counted in. */
  private boolean end() {
    int previous = state.getAndSet(ENDED);
    if (previous == ENDED) {
      return false;
    }
    try {
      if (previous == QUEUED) {
        series.waiting.dec();
      } else if (previous == RUNNING) {
        series.running.dec();
      }
      if (streaming) {
        series.streamsActive.dec();
      }
    } catch (RuntimeException e) {
      series.metrics.internalErrors.record("llm.end", e);
    }
    return true;
  }
}
