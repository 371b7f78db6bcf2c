package dev.inferwatch.core.history;

/** The figures every sample holds once, with the key they have in {@code /metrics.json}. */
enum Series {
  HTTP_REQUESTS_PER_SECOND("http_requests_per_second"),
  HTTP_5XX_RATIO("http_5xx_ratio"),
  HTTP_P50_SECONDS("http_p50_seconds"),
  HTTP_P95_SECONDS("http_p95_seconds"),
  HTTP_P99_SECONDS("http_p99_seconds"),
  HTTP_IN_FLIGHT("http_in_flight"),
  LLM_OUTPUT_TOKENS_PER_SECOND("llm_output_tokens_per_second"),
  LLM_TTFT_P95_SECONDS("llm_ttft_p95_seconds"),
  LLM_STREAMS_ACTIVE("llm_streams_active"),
  PROCESS_RESIDENT_MEMORY_BYTES("process_resident_memory_bytes"),
  JVM_HEAP_USED_BYTES("jvm_heap_used_bytes");

  private static final Series[] VALUES = values();

  final String key;

  Series(String key) {
    this.key = key;
  }

  static Series[] all() {
    return VALUES;
  }
}
