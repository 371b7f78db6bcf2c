package dev.inferwatch.core.llm;

import dev.inferwatch.core.events.EventType;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link LlmRecorder} of one served request, over the bound series of its (provider, model,
 * operation) tuple: after that lookup the per-token path is two field reads and one observation.
 * The trace context of the span current when the request was served is kept, so the duration and
 * the time to first token carry it as an exemplar though they are recorded on other threads.
 */
final class ServedRequestRecorder implements LlmRecorder {

  // Every duration is nanoseconds times this: a multiply is a few cycles cheaper than a divide on
  // the per-token path, and one constant keeps the other paths consistent with it.
  private static final double NANOS_TO_SECONDS = 1e-9;

  private final LlmServerSeries series;
  private final boolean streaming;
  private final long startNanos;
  private final Labels exemplar;
  private final AtomicBoolean ended = new AtomicBoolean();
  private long firstTokenNanos;
  private long lastTokenNanos;
  private int tokens;

  ServedRequestRecorder(
      LlmServerSeries series, boolean streaming, long startNanos, Labels exemplar) {
    this.series = series;
    this.streaming = streaming;
    this.startNanos = startNanos;
    this.exemplar = exemplar;
    if (streaming) {
      series.streamsActive.inc();
    }
  }

  @Override
  public void token() {
    try {
      long now = System.nanoTime();
      if (tokens == 0) {
        firstTokenNanos = now;
        observe(series.timeToFirstToken, (now - startNanos) * NANOS_TO_SECONDS);
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
  public void finish(FinishReason reason, long inputTokens, long outputTokens) {
    if (!end()) {
      return;
    }
    try {
      long now = System.nanoTime();
      observe(series.duration, (now - startNanos) * NANOS_TO_SECONDS);
      series.requests(reason == null ? FinishReason.STOP : reason).inc();
      if (inputTokens >= 0) {
        series.inputTokens.observe(inputTokens);
      }
      long output = outputTokens >= 0 ? outputTokens : tokens;
      if (outputTokens >= 0 || tokens > 0) {
        series.outputTokens.observe(output);
      }
      if (tokens > 1) {
        series.timePerOutputToken.observe(
            (now - firstTokenNanos) * NANOS_TO_SECONDS / (tokens - 1));
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
      series.disconnects.inc();
      observe(
          series.failedDuration(FinishReason.CANCELLED.label()),
          (System.nanoTime() - startNanos) * NANOS_TO_SECONDS);
      series.requests(FinishReason.CANCELLED).inc();
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

  private boolean end() {
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    if (streaming) {
      try {
        series.streamsActive.dec();
      } catch (RuntimeException e) {
        series.metrics.internalErrors.record("llm.end", e);
      }
    }
    return true;
  }
}
