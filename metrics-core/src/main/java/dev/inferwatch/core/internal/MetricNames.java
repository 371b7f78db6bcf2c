package dev.inferwatch.core.internal;

/**
 * Every family name of the metric catalogue ({@code shared/METRICS.md}) as it is exposed, before
 * the namespace prefix: the families register under these names and the JSON snapshot, the metric
 * categories and the docs read them back through the same constants, so a rename cannot silently
 * empty a view.
 */
public final class MetricNames {

  public static final String HTTP_REQUESTS = "http_server_requests_total";
  public static final String HTTP_DURATION = "http_server_request_duration_seconds";
  public static final String HTTP_ACTIVE = "http_server_active_requests";
  public static final String HTTP_ERRORS = "http_server_errors_total";
  public static final String HTTP_DISCONNECTS = "http_server_client_disconnects_total";
  public static final String HTTP_QUEUE_DURATION = "http_server_request_queue_duration_seconds";

  public static final String PREDICTIONS = "model_predictions_total";
  public static final String PREDICTION_DURATION = "model_prediction_duration_seconds";
  public static final String PREDICTIONS_IN_PROGRESS = "model_predictions_in_progress";
  public static final String PREDICTIONS_RUNNING = "model_predictions_running";
  public static final String PREDICTIONS_WAITING = "model_predictions_waiting";
  public static final String BATCH_SIZE = "model_batch_size";
  public static final String MODEL_INFO = "model_info";
  public static final String MODEL_STATE = "model_state";
  public static final String MODEL_LOAD_DURATION = "model_load_duration_seconds";
  public static final String EXECUTOR_QUEUED = "executor_queued_tasks";
  public static final String EXECUTOR_ACTIVE = "executor_active_threads";
  public static final String EXECUTOR_POOL_SIZE = "executor_pool_size_threads";
  public static final String EXECUTOR_COMPLETED = "executor_completed_tasks_total";
  public static final String APPLICATION_ERRORS = "application_errors_total";

  public static final String GEN_AI_SERVER_DURATION = "gen_ai_server_request_duration_seconds";
  public static final String GEN_AI_TTFT = "gen_ai_server_time_to_first_token_seconds";
  public static final String GEN_AI_TPOT = "gen_ai_server_time_per_output_token_seconds";
  public static final String GEN_AI_ITL = "gen_ai_server_inter_token_latency_seconds";
  public static final String GEN_AI_QUEUE_TIME = "gen_ai_server_request_queue_time_seconds";
  public static final String GEN_AI_RUNNING = "gen_ai_server_requests_running";
  public static final String GEN_AI_WAITING = "gen_ai_server_requests_waiting";
  public static final String GEN_AI_MAX_TOKENS = "gen_ai_server_request_max_tokens";
  public static final String GEN_AI_SERVER_TOKENS = "gen_ai_server_token_usage";
  public static final String GEN_AI_CLIENT_DURATION = "gen_ai_client_operation_duration_seconds";
  public static final String GEN_AI_CLIENT_TTFC =
      "gen_ai_client_operation_time_to_first_chunk_seconds";
  public static final String GEN_AI_CLIENT_TPOC =
      "gen_ai_client_operation_time_per_output_chunk_seconds";
  public static final String GEN_AI_CLIENT_TOKENS = "gen_ai_client_token_usage";
  public static final String GEN_AI_SERVER_REQUESTS = "gen_ai_server_requests_total";
  public static final String GEN_AI_USAGE_MISSING = "gen_ai_client_usage_missing_total";
  public static final String GEN_AI_STREAMS_ACTIVE = "gen_ai_server_streams_active";
  public static final String GEN_AI_STREAM_DISCONNECTS = "gen_ai_server_stream_disconnects_total";

  public static final String PROVIDER_RESPONSE_TIME = "provider_response_time_seconds";
  public static final String PROVIDER_REQUESTS = "provider_requests_total";
  public static final String PROVIDER_HEALTH = "provider_health_score";
  public static final String PROVIDER_CIRCUIT = "provider_circuit_breaker_state";
  public static final String PROVIDER_COST = "provider_cost_usd_total";
  public static final String MODEL_UPTIME = "model_uptime_24h_ratio";
  public static final String MODEL_TOKEN_EFFICIENCY = "model_token_efficiency";
  public static final String ANOMALIES = "anomalies_detected_total";
  public static final String TRIALS_ACTIVE = "trials_active";
  public static final String ROUTER_FALLTHROUGH = "router_fallthrough_total";

  public static final String HEALTH_CHECK_UP = "health_check_up";
  public static final String HEALTH_CHECK_DURATION = "health_check_duration_seconds";

  public static final String GPU_UTILIZATION = "gpu_utilization_ratio";
  public static final String GPU_MEMORY_USED = "gpu_memory_used_bytes";

  public static final String PROCESS_MEMORY_SHARED = "process_memory_shared_bytes";

  public static final String INTERNAL_ERRORS = "inferwatch_internal_errors_total";
  public static final String LABEL_OVERFLOW = "inferwatch_label_overflow_total";
  public static final String EVENTS = "inferwatch_events_total";
  public static final String EVENTS_DROPPED = "inferwatch_events_dropped_total";

  private MetricNames() {}
}
