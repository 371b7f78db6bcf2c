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

  /** Predictions running at once, each on its own worker thread. */
  private int maxConcurrent = 4;

  /** Predictions that may wait for a worker; past them new ones get 429. */
  private int maxQueued = 256;

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

  public int getMaxConcurrent() {
    return maxConcurrent;
  }

  public void setMaxConcurrent(int maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  public int getMaxQueued() {
    return maxQueued;
  }

  public void setMaxQueued(int maxQueued) {
    this.maxQueued = maxQueued;
  }
}
