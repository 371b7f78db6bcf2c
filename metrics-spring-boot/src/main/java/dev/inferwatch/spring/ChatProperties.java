package dev.inferwatch.spring;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;

/**
 * {@code inferwatch.chat.*}: the chat endpoint, registered when the context holds a ChatModel bean.
 */
public class ChatProperties extends InferwatchProperties.Toggle {

  /** Longest wait for the first token, between tokens, or for a whole answer (ms or 5s). */
  @DurationUnit(ChronoUnit.MILLIS)
  private Duration timeoutMs = Duration.ofSeconds(60);

  /** Largest accepted request body in bytes; larger ones get 413. */
  private long maxRequestBytes = 1 << 20;

  /** How long a stopping application lets streams finish before cutting them (ms or 5s). */
  @DurationUnit(ChronoUnit.MILLIS)
  private Duration shutdownGraceMs = Duration.ofSeconds(5);

  /** Requests generated at once, streamed or not. */
  private int maxConcurrent = 64;

  /** Requests that may wait for a worker; past them new requests get 429. */
  private int maxQueued = 256;

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

  public Duration getTimeoutMs() {
    return timeoutMs;
  }

  public void setTimeoutMs(Duration timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  public long getMaxRequestBytes() {
    return maxRequestBytes;
  }

  public void setMaxRequestBytes(long maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  public Duration getShutdownGraceMs() {
    return shutdownGraceMs;
  }

  public void setShutdownGraceMs(Duration shutdownGraceMs) {
    this.shutdownGraceMs = shutdownGraceMs;
  }
}
