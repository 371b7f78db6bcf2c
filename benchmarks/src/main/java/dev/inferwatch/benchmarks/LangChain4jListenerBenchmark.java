package dev.inferwatch.benchmarks;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.llm.LlmCall;
import dev.inferwatch.core.llm.LlmMetrics;
import dev.inferwatch.core.providers.ProviderMetrics;
import dev.inferwatch.langchain4j.InferwatchChatModelListener;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@code InferwatchChatModelListener} costs per LangChain4j call, against the same recording
 * done by hand: {@code llm().call(..)} with usage, and that plus {@code providers().startCall(..)}
 * (the listener does both). The listener is driven as LangChain4j drives it: a fresh attribute map
 * and two contexts per call (LangChain4j allocates those itself), a usage in OpenAI's shape (cached
 * and reasoning details read by the listener). The streamed pair runs its chunks through {@code
 * timeChunks} over an in-process model that reuses its chunk objects, against as many {@code
 * chunk()} calls by hand; 1 and 16 chunks, so the difference is the per-chunk cost.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LangChain4jListener -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LangChain4jListenerBenchmark {

  /** Chunks of the long stream; the short one has 1, so the difference is 15 chunks' cost. */
  static final int CHUNKS = 16;

  private Inferwatch iw;
  private LlmMetrics llm;
  private ProviderMetrics providers;
  private InferwatchChatModelListener listener;
  private ChatRequest request;
  private ChatResponse response;
  private StreamingChatModel streaming;
  private StreamingChatModel shortStreaming;
  private StreamingChatResponseHandler ignore;

  /** One instance, the series of the tuple seen once, a request and its answer. */
  @Setup(Level.Trial)
  public void setUp() {
    iw = Isolated.inferwatch().build();
    llm = iw.llm();
    providers = iw.providers();
    listener = InferwatchChatModelListener.of(iw);
    request = ChatRequest.builder().modelName("gpt-4o").messages(UserMessage.from("Hi")).build();
    response =
        ChatResponse.builder()
            .aiMessage(AiMessage.from("Hello"))
            .modelName("gpt-4o")
            .tokenUsage(new OpenAiShapedUsage(12, 40, 3, 2))
            .build();
    streaming =
        InferwatchChatModelListener.timeChunks(
            new ReplayingModel(response, List.of(listener), CHUNKS));
    shortStreaming =
        InferwatchChatModelListener.timeChunks(new ReplayingModel(response, List.of(listener), 1));
    ignore =
        new StreamingChatResponseHandler() {
          @Override
          public void onCompleteResponse(ChatResponse completeResponse) {}

          @Override
          public void onError(Throwable error) {}
        };
    listenerCall();
    byHand();
    streamWithListener();
  }

  /** Closes the instance. */
  @TearDown(Level.Trial)
  public void tearDown() {
    iw.close();
  }

  /** {@code onRequest} then {@code onResponse}, with what LangChain4j allocates for them. */
  @Benchmark
  public Map<Object, Object> listenerCall() {
    Map<Object, Object> attributes = new ConcurrentHashMap<>();
    listener.onRequest(new ChatModelRequestContext(request, ModelProvider.OPEN_AI, attributes));
    listener.onResponse(
        new ChatModelResponseContext(response, request, ModelProvider.OPEN_AI, attributes));
    return attributes;
  }

  /** {@code llm().call(..)} with the usage, by hand: the baseline the issue names. */
  @Benchmark
  public void byHand() {
    try (LlmCall call = llm.call("openai", "gpt-4o", LlmMetrics.CHAT)) {
      call.usage(12, 40, 3, 2);
    }
  }

  /** The same plus the provider call: everything the listener records, by hand. */
  @Benchmark
  public void byHandWithProvider() {
    try (LlmCall call = llm.call("openai", "gpt-4o", LlmMetrics.CHAT)) {
      call.usage(12, 40, 3, 2);
    }
    providers.startCall("openai").model("gpt-4o").ok().close();
  }

  /** A stream of {@link #CHUNKS} through {@code timeChunks} and LangChain4j's own {@code chat}. */
  @Benchmark
  public void streamWithListener() {
    streaming.chat(request, ignore);
  }

  /** The same with one chunk. */
  @Benchmark
  public void oneChunkStreamWithListener() {
    shortStreaming.chat(request, ignore);
  }

  /** {@link #CHUNKS} chunks, usage and provider call, by hand. */
  @Benchmark
  public void streamByHand() {
    streamByHand(CHUNKS);
  }

  /** The same with one chunk. */
  @Benchmark
  public void oneChunkStreamByHand() {
    streamByHand(1);
  }

  private void streamByHand(int chunks) {
    try (LlmCall call = llm.call("openai", "gpt-4o", LlmMetrics.CHAT)) {
      for (int i = 0; i < chunks; i++) {
        call.chunk();
      }
      call.usage(12, 40, 3, 2);
    }
    providers.startCall("openai").model("gpt-4o").ok().close();
  }

  /** A usage in the shape of {@code OpenAiTokenUsage}, without the OpenAI module. */
  public static final class OpenAiShapedUsage extends TokenUsage {
    private final InputDetails input;
    private final OutputDetails output;

    OpenAiShapedUsage(int in, int out, int cached, int reasoning) {
      super(in, out);
      this.input = new InputDetails(cached);
      this.output = new OutputDetails(reasoning);
    }

    /** As {@code OpenAiTokenUsage.inputTokensDetails()}. */
    public InputDetails inputTokensDetails() {
      return input;
    }

    /** As {@code OpenAiTokenUsage.outputTokensDetails()}. */
    public OutputDetails outputTokensDetails() {
      return output;
    }
  }

  /** As {@code OpenAiTokenUsage.InputTokensDetails}. */
  public static final class InputDetails {
    private final Integer cached;

    InputDetails(Integer cached) {
      this.cached = cached;
    }

    /** The cached part of the input. */
    public Integer cachedTokens() {
      return cached;
    }
  }

  /** As {@code OpenAiTokenUsage.OutputTokensDetails}. */
  public static final class OutputDetails {
    private final Integer reasoning;

    OutputDetails(Integer reasoning) {
      this.reasoning = reasoning;
    }

    /** The reasoning part of the output. */
    public Integer reasoningTokens() {
      return reasoning;
    }
  }

  /** A streaming model that replays its chunks and an answer on the caller's thread. */
  static final class ReplayingModel implements StreamingChatModel, StreamingHandle {
    private final ChatResponse answer;
    private final List<ChatModelListener> listeners;
    private final PartialResponse partial = new PartialResponse("word ");
    private final PartialResponseContext context = new PartialResponseContext(this);
    private final int chunks;

    ReplayingModel(ChatResponse answer, List<ChatModelListener> listeners, int chunks) {
      this.answer = answer;
      this.listeners = listeners;
      this.chunks = chunks;
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
      for (int i = 0; i < chunks; i++) {
        handler.onPartialResponse(partial, context);
      }
      handler.onCompleteResponse(answer);
    }

    @Override
    public List<ChatModelListener> listeners() {
      return listeners;
    }

    @Override
    public ModelProvider provider() {
      return ModelProvider.OPEN_AI;
    }

    @Override
    public void cancel() {}

    @Override
    public boolean isCancelled() {
      return false;
    }
  }
}
