package dev.inferwatch.core.internal;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.tracer.common.SpanContext;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;

/**
 * The trace context of the span current on this thread, as exemplar labels: what client_java
 * samples by itself when an observation happens on the request's thread, captured here so that a
 * completion recorded on another thread (an async request, an SSE stream) still carries it.
 *
 * <p>client_java's tracer initializer finds the OpenTelemetry agent or API on the classpath;
 * without either, or without a sampled span, {@link #current()} is {@code null} and costs one read.
 */
public final class TraceExemplars {

  private TraceExemplars() {}

  /**
   * {@code trace_id} and {@code span_id} of the current sampled span; on a kit thread working for a
   * request, the request's ({@link CurrentRequest#exemplar()}); else {@code null}.
   */
  public static Labels current() {
    SpanContext context = SpanContextSupplier.getSpanContext();
    if (context == null) {
      return CurrentRequest.exemplar();
    }
    try {
      if (!context.isCurrentSpanSampled()) {
        return CurrentRequest.exemplar();
      }
      String traceId = context.getCurrentTraceId();
      String spanId = context.getCurrentSpanId();
      if (traceId == null || spanId == null) {
        return CurrentRequest.exemplar();
      }
      // Tells tail-sampling tracers to keep this span, as client_java does for its own exemplars.
      context.markCurrentSpanAsExemplar();
      return Labels.of("trace_id", traceId, "span_id", spanId);
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
