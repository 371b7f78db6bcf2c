package dev.inferwatch.core.internal;

/**
 * Classic histogram bucket bounds from shared/METRICS.md, one place for every family. The arrays
 * are shared: pass them to a builder (which copies them), never modify them.
 */
public final class Buckets {

  /** OTel's stable HTTP list plus 30 s and 60 s for streams. */
  public static final double[] HTTP_SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60
  };

  /**
   * Arrival to filter entry: parsing and waiting for a container thread, sub-millisecond when
   * healthy, seconds under overload.
   */
  public static final double[] QUEUE_SECONDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /** Instances per prediction request: powers of two up to 1024. */
  public static final double[] BATCH_SIZE = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  /**
   * gen_ai request and operation durations, provider response times: OTel's 10 ms doubling to 82 s,
   * then vLLM's tail doubling on to 87 min (reasoning models and long generations land there).
   */
  public static final double[] GEN_AI_DURATION_SECONDS = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84,
    327.68, 655.36, 1310.72, 2621.44, 5242.88
  };

  /**
   * gen_ai time to first token and request queue time: OTel's list to 10 s, then vLLM's tail to
   * 2560 s (long prompts and full queues).
   */
  public static final double[] GEN_AI_TTFT_SECONDS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40,
    80, 160, 640, 2560
  };

  /**
   * gen_ai time per output token (or chunk) and inter-token latency: OTel's list to 2.5 s, then
   * vLLM's tail to 80 s (stalled streams).
   */
  public static final double[] GEN_AI_TOKEN_SECONDS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80
  };

  /** gen_ai token counts: OTel's powers of four from 1 to 64 Mi. */
  public static final double[] GEN_AI_TOKENS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  /** The {@code max_tokens} a request asks for: powers of four from 1 to 1 Mi. */
  public static final double[] GEN_AI_MAX_TOKENS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576
  };

  private Buckets() {}
}
