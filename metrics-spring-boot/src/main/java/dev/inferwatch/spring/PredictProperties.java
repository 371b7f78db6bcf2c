package dev.inferwatch.spring;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;

/**
 * {@code inferwatch.predict.*}: the predict endpoint, registered when the context holds one
 * Predictor bean.
 */
public class PredictProperties extends InferwatchProperties.Toggle {

  /** Longest a prediction may take before the caller gets 504 (ms or 30s). */
  @DurationUnit(ChronoUnit.MILLIS)
  private Duration timeoutMs = Duration.ofSeconds(30);

  /** Largest accepted request body in bytes; larger ones get 413. */
  private long maxBodyBytes = 10L * 1024 * 1024;

  /** Worker threads running predictions. */
  private int threads = 4;

  public Duration getTimeoutMs() {
    return timeoutMs;
  }

  public void setTimeoutMs(Duration timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public void setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  public int getThreads() {
    return threads;
  }

  public void setThreads(int threads) {
    this.threads = threads;
  }
}
