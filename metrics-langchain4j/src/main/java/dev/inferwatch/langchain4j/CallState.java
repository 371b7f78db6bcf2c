package dev.inferwatch.langchain4j;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.core.llm.LlmCall;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.providers.ProviderCall;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

/**
 * One call of a LangChain4j model, kept in the listener attributes from {@code onRequest} to its
 * end: the start time, the labels, the provider call, and the {@link LlmCall} that records it.
 *
 * <p>The {@link LlmCall} is opened at the first chunk or at the end, not at the request: a model
 * name the provider answers 404 for must not take a slot in the model label's guard, and until the
 * answer nobody knows. It is timed from the request all the same. Chunks and the end arrive on the
 * model's thread; exactly one end counts (LangChain4j calls {@code onError} after {@code
 * onResponse} when the caller's handler throws on completion).
 */
final class CallState {

  private final Inferwatch iw;
  private final long startNanos;
  private final String provider;
  private final String model;
  private final ProviderCall providerCall;
  private volatile LlmCall call;
  private volatile boolean ended;

  CallState(Inferwatch iw, long startNanos, String provider, String model, ProviderCall call) {
    this.iw = iw;
    this.startNanos = startNanos;
    this.provider = provider;
    this.model = model;
    this.providerCall = call;
  }

  /** One streamed chunk arrived: the first proves the model exists and opens the call. */
  void chunk() {
    try {
      if (ended) {
        return;
      }
      LlmCall c = call;
      if (c == null) {
        c = open(model);
      }
      c.chunk();
    } catch (RuntimeException e) {
      iw.internalErrors().record("langchain4j.chunk", e);
    }
  }

  /** The model answered: usage (absent when not reported), duration, provider outcome ok. */
  void succeeded(ChatResponse response) {
    if (!end()) {
      return;
    }
    String m = model != null ? model : response.modelName();
    LlmCall c = call != null ? call : open(m);
    TokenUsage usage = response.tokenUsage();
    if (usage != null) {
      c.usage(
          count(usage.inputTokenCount()),
          count(usage.outputTokenCount()),
          TokenDetails.cacheRead(usage),
          TokenDetails.reasoning(usage));
    }
    c.close();
    providerCall.model(m).ok().close();
  }

  /**
   * The call failed: {@code error_type}, and a failed provider outcome ({@code failed_midstream}
   * once a chunk arrived) whose last error is the provider's message.
   */
  void failed(Throwable error) {
    if (!end()) {
      return;
    }
    Failure failure = Failure.of(error);
    LlmCall c = call;
    boolean midstream = c != null;
    if (c == null) {
      c = open(failure.modelNotFound() ? LabelGuard.UNKNOWN : model);
    }
    c.failed(failure.errorType()).close();
    if (!failure.modelNotFound()) {
      providerCall.model(model);
    }
    if (midstream) {
      providerCall.failedMidstream(failure.providerError());
    } else {
      providerCall.failed(failure.providerError());
    }
    providerCall.close();
  }

  /**
   * The caller cancelled the stream: LangChain4j then reports no end, so the duration is recorded
   * here with {@code error_type="cancelled"}; the provider did nothing wrong and gets no outcome.
   */
  void cancelled() {
    try {
      if (end()) {
        LlmCall c = call;
        (c != null ? c : open(model)).failed("cancelled").close();
      }
    } catch (RuntimeException e) {
      iw.internalErrors().record("langchain4j.cancel", e);
    }
  }

  private synchronized LlmCall open(String modelLabel) {
    LlmCall c = call;
    if (c == null) {
      c = iw.llm().call(provider, modelLabel, LlmMetrics.CHAT, startNanos);
      call = c;
    }
    return c;
  }

  private synchronized boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }

  private static long count(Integer tokens) {
    return tokens == null ? -1 : tokens;
  }
}
