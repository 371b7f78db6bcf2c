package dev.inferwatch.testkit;

import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.servlet.chat.ChatCompletion;
import dev.inferwatch.servlet.chat.ChatMessage;
import dev.inferwatch.servlet.chat.ChatModel;
import dev.inferwatch.servlet.chat.ChatRequest;
import dev.inferwatch.servlet.chat.ChatSink;
import dev.inferwatch.servlet.chat.ChatUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic stand-in for a real model, for development, demos and tests: the answer is
 * derived from the prompt, and latency and failures are configured.
 *
 * <p>The same messages always give the same words. {@code max_tokens} below {@link Builder#tokens}
 * ends with {@code length}; a stop sequence that equals a generated word ends with {@code stop}
 * before it. Each word is one token; a chunk carries {@link Builder#tokensPerChunk} of them.
 * Streams are driven by a small scheduler, so thousands of slow streams hold no thread each; {@link
 * #close()} stops it.
 *
 * <pre>{@code
 * FakeChatModel model = FakeChatModel.builder()
 *     .timeToFirstToken(Duration.ofMillis(200)).tokenDelay(Duration.ofMillis(30)).tokens(40)
 *     .failure(FakeChatModel.Failure.MID_STREAM)
 *     .build();
 * }</pre>
 */
public final class FakeChatModel implements ChatModel, AutoCloseable {

  /** The id listed by default. */
  public static final String DEFAULT_ID = "fake-model";

  /** Default time to first token. */
  public static final Duration DEFAULT_TIME_TO_FIRST_TOKEN = Duration.ofMillis(50);

  /** Default gap between tokens. */
  public static final Duration DEFAULT_TOKEN_DELAY = Duration.ofMillis(10);

  /** Default answer length in tokens. */
  public static final int DEFAULT_TOKENS = 16;

  private static final String[] WORDS =
      ("the model observes tokens latency quietly streams answer light metric bucket signal river"
              + " stone careful bright engine window garden number simple steady quick amber north"
              + " cloud paper orbit")
          .split(" ");

  /** What goes wrong, if anything. */
  public enum Failure {
    /** Nothing: every request succeeds. */
    NONE,
    /** Fails after the time to first token, before any token. */
    BEFORE_FIRST_TOKEN,
    /** Fails after {@link Builder#failAfterTokens} tokens. */
    MID_STREAM,
    /** Never produces a token (until cancelled or interrupted). */
    HANG
  }

  private final String id;
  final long firstTokenNanos;
  final long tokenDelayNanos;
  private final int tokens;
  final Failure failure;
  final int failAfterTokens;
  final int tokensPerChunk;
  private final int cachedTokens;
  private final int reasoningTokens;
  final ScheduledExecutorService scheduler;
  final AtomicInteger activeStreams = new AtomicInteger();
  final AtomicLong cancellations = new AtomicLong();
  private final AtomicLong invocations = new AtomicLong();
  private volatile boolean ready;

  private FakeChatModel(Builder builder) {
    this.id = builder.id;
    this.firstTokenNanos = builder.timeToFirstToken.toNanos();
    this.tokenDelayNanos = builder.tokenDelay.toNanos();
    this.tokens = builder.tokens;
    this.failure = builder.failure;
    int failAfter = builder.failAfterTokens > 0 ? builder.failAfterTokens : tokens / 2;
    this.failAfterTokens = Math.min(failAfter, Math.max(0, tokens - 1));
    this.tokensPerChunk = builder.tokensPerChunk;
    this.cachedTokens = builder.cachedTokens;
    this.reasoningTokens = builder.reasoningTokens;
    this.ready = builder.ready;
    this.scheduler = Executors.newScheduledThreadPool(2, DaemonThreads.pool("fake-chat-model"));
  }

  /** A builder with the {@code DEFAULT_*} settings. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String provider() {
    return "fake";
  }

  @Override
  public boolean ready() {
    return ready;
  }

  /** Makes the model ready or not (503), as a loading or draining model would be. */
  public void ready(boolean ready) {
    this.ready = ready;
  }

  /** Streams being generated now; back to 0 once every stream ended or was cancelled. */
  public int activeStreams() {
    return activeStreams.get();
  }

  /** How many streams were stopped by a cancel from the sink. */
  public long cancellations() {
    return cancellations.get();
  }

  /** How many requests reached the model ({@code complete} or {@code stream} called). */
  public long invocations() {
    return invocations.get();
  }

  /** The words this model answers {@code request} with (before failures), deterministic. */
  public List<String> answer(ChatRequest request) {
    long seed = 17;
    for (ChatMessage m : request.messages()) {
      seed = seed * 31 + String.valueOf(m.role()).hashCode();
      seed = seed * 31 + String.valueOf(m.content()).hashCode();
    }
    Random random = new Random(seed);
    int limit = request.maxTokens() == null ? tokens : Math.min(tokens, request.maxTokens());
    List<String> words = new ArrayList<>(limit);
    for (int i = 0; i < limit; i++) {
      String word = WORDS[random.nextInt(WORDS.length)];
      if (request.stop().contains(word)) {
        break;
      }
      words.add(i == 0 ? word : " " + word);
    }
    return words;
  }

  @Override
  public ChatCompletion complete(ChatRequest request) throws Exception {
    invocations.incrementAndGet();
    List<String> words = answer(request);
    sleepNanos(firstTokenNanos);
    if (failure == Failure.HANG) {
      sleepNanos(Long.MAX_VALUE);
    }
    if (failure == Failure.BEFORE_FIRST_TOKEN) {
      throw new IllegalStateException("fake model failed before the first token");
    }
    if (failure == Failure.MID_STREAM && failAfterTokens < words.size()) {
      sleepNanos(tokenDelayNanos * failAfterTokens);
      throw new IllegalStateException("fake model failed after " + failAfterTokens + " tokens");
    }
    sleepNanos(tokenDelayNanos * Math.max(0, words.size() - 1));
    return new ChatCompletion(
        String.join("", words), finishReason(request, words), usage(request, words.size()));
  }

  @Override
  public void stream(ChatRequest request, ChatSink sink) {
    invocations.incrementAndGet();
    if (failure == Failure.HANG) {
      activeStreams.incrementAndGet();
      sink.onCancel(
          () -> {
            cancellations.incrementAndGet();
            activeStreams.decrementAndGet();
          });
      return;
    }
    new FakeGeneration(this, request, sink).start();
  }

  /** Stops the scheduler; streams in flight stop without an end. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  FinishReason finishReason(ChatRequest request, List<String> words) {
    boolean cut = request.maxTokens() != null && request.maxTokens() < tokens;
    return cut && words.size() == request.maxTokens() ? FinishReason.LENGTH : FinishReason.STOP;
  }

  ChatUsage usage(ChatRequest request, int completionTokens) {
    int prompt = 0;
    for (ChatMessage m : request.messages()) {
      String content = m.content() == null ? "" : m.content().strip();
      prompt += 1 + (content.isEmpty() ? 0 : content.split("\\s+").length);
    }
    return new ChatUsage(
        prompt,
        completionTokens,
        cachedTokens < 0 ? -1 : Math.min(cachedTokens, prompt),
        reasoningTokens < 0 ? -1 : Math.min(reasoningTokens, completionTokens));
  }

  private static void sleepNanos(long nanos) throws InterruptedException {
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  /** Configures a {@link FakeChatModel}. */
  public static final class Builder {
    private String id = DEFAULT_ID;
    private Duration timeToFirstToken = DEFAULT_TIME_TO_FIRST_TOKEN;
    private Duration tokenDelay = DEFAULT_TOKEN_DELAY;
    private int tokens = DEFAULT_TOKENS;
    private Failure failure = Failure.NONE;
    private int failAfterTokens; // 0: half of the answer, whatever tokens() says
    private boolean ready = true;
    private int tokensPerChunk = 1;
    private int cachedTokens = -1;
    private int reasoningTokens = -1;

    private Builder() {}

    /** The model id (default {@value #DEFAULT_ID}). */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("id must not be blank, got '" + id + "'");
      }
      this.id = id;
      return this;
    }

    /** Delay before the first token. */
    public Builder timeToFirstToken(Duration delay) {
      this.timeToFirstToken = nonNegative("time to first token", delay);
      return this;
    }

    /** Delay between tokens. */
    public Builder tokenDelay(Duration delay) {
      this.tokenDelay = nonNegative("token delay", delay);
      return this;
    }

    /** Answer length in tokens (before {@code max_tokens} and stop sequences). */
    public Builder tokens(int tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("tokens must be at least 1, got " + tokens);
      }
      this.tokens = tokens;
      return this;
    }

    /** The failure mode (default {@link Failure#NONE}). */
    public Builder failure(Failure failure) {
      if (failure == null) {
        throw new IllegalArgumentException("failure must not be null; use Failure.NONE");
      }
      this.failure = failure;
      return this;
    }

    /**
     * With {@link Failure#MID_STREAM}: tokens sent before the failure (default half the answer).
     */
    public Builder failAfterTokens(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("failAfterTokens must be at least 1, got " + count);
      }
      this.failAfterTokens = count;
      return this;
    }

    /**
     * Tokens sent per streamed chunk (default 1), as real servers batch them: the usage still
     * counts tokens, so time per output token and chunk gaps differ.
     */
    public Builder tokensPerChunk(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("tokensPerChunk must be at least 1, got " + count);
      }
      this.tokensPerChunk = count;
      return this;
    }

    /** Reports this many prompt tokens as cached (capped at the prompt; default: not reported). */
    public Builder cachedTokens(int count) {
      this.cachedTokens = count;
      return this;
    }

    /** Reports this many completion tokens as reasoning (capped; default: not reported). */
    public Builder reasoningTokens(int count) {
      this.reasoningTokens = count;
      return this;
    }

    /** Whether the model starts ready (default true). */
    public Builder ready(boolean ready) {
      this.ready = ready;
      return this;
    }

    /** The model; it owns a small scheduler until {@link FakeChatModel#close()}. */
    public FakeChatModel build() {
      return new FakeChatModel(this);
    }

    private static Duration nonNegative(String what, Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be zero or positive, got " + d);
      }
      return d;
    }
  }
}
