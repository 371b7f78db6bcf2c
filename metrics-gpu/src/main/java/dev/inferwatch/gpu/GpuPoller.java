package dev.inferwatch.gpu;

import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.core.internal.InternalErrors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every GPU through NVML on one daemon thread and publishes an immutable {@link GpuSnapshot}
 * after each poll; once NVML is up it also starts the {@link XidWatcher} thread where the driver
 * has XID events. {@link AutoCloseable}: {@link #close()} stops both threads and shuts NVML down.
 *
 * <p>NVML is initialised on the poller thread, not the caller's, because {@code nvmlInit} takes
 * seconds on drivers without persistence mode. If it fails the thread logs one line, publishes
 * {@code up = false} and ends.
 *
 * <pre>{@code
 * GpuPoller poller = new GpuPoller(nvml, metrics, iw.internalErrors(), iw.events());
 * poller.start(Duration.ofSeconds(5));
 * GpuSnapshot latest = poller.snapshot();
 * poller.close();
 * }</pre>
 */
final class GpuPoller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GpuPoller.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Nvml nvml;
  private final GpuMetrics metrics;
  private final InternalErrors internalErrors;
  private final EventJournal journal;
  private final CountDownLatch firstPoll = new CountDownLatch(1);
  private final ScheduledExecutorService executor;
  private volatile GpuSnapshot snapshot = GpuSnapshot.unavailable("NVML is initialising");
  private NvmlSession session;
  private XidWatcher xids;
  private boolean closed;

  GpuPoller(Nvml nvml, GpuMetrics metrics, InternalErrors internalErrors, EventJournal journal) {
    this.nvml = nvml;
    this.metrics = metrics;
    this.internalErrors = internalErrors;
    this.journal = journal;
    this.executor = DaemonThreads.scheduler("inferwatch-gpu-poller");
  }

  /** Initialises NVML and then polls every {@code interval}, all on the poller thread. */
  void start(Duration interval) {
    executor.execute(
        () -> {
          if (!openSafely()) {
            executor.shutdown();
            return;
          }
          pollSafely();
          try {
            executor.scheduleWithFixedDelay(
                this::pollSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException closedMeanwhile) {
            // close() won the race; its shutdown task runs next.
          }
        });
  }

  /**
   * Initialises NVML, publishes {@code gpu_info} and starts watching XID events; {@code false}
   * (with the reason in the snapshot) when NVML will not initialise.
   */
  synchronized boolean open() {
    if (closed || session != null) {
      return session != null;
    }
    try {
      session = NvmlSession.open(nvml, metrics::recordError);
    } catch (IllegalStateException e) {
      snapshot = GpuSnapshot.unavailable(e.getMessage());
      log.info("GPU telemetry off: {}; gpu_nvml_up is 0", e.getMessage());
      firstPoll.countDown();
      return false;
    }
    metrics.identify(session.driverVersion(), session.cudaVersion(), session.devices());
    log.info(
        "GPU telemetry on: NVML driver {} (CUDA {}), {} device(s)",
        session.driverVersion(),
        session.cudaVersion(),
        session.deviceCount());
    try {
      xids = XidWatcher.start(session.calls(), session.devices(), metrics, journal);
    } catch (RuntimeException | LinkageError e) {
      internalErrors.record("gpu.xid", e);
    }
    return true;
  }

  /** Reads every device once and publishes the snapshot; a no-op when NVML is not open. */
  synchronized void poll() {
    if (closed || session == null) {
      return;
    }
    try {
      long start = System.nanoTime();
      List<GpuReading> readings = session.read(xids == null ? NvmlSession.XidCounts.NONE : xids);
      metrics.observePoll((System.nanoTime() - start) / 1e9);
      snapshot =
          new GpuSnapshot(true, session.driverVersion(), session.cudaVersion(), null, readings);
    } finally {
      firstPoll.countDown();
    }
  }

  /** The latest published snapshot; never calls NVML. */
  GpuSnapshot snapshot() {
    return snapshot;
  }

  /** Waits until NVML was initialised (or failed to be) and one poll published, for tests. */
  boolean awaitFirstPoll(Duration timeout) throws InterruptedException {
    return firstPoll.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The XID watcher, or {@code null} when XID events are not watched; for tests. */
  synchronized XidWatcher xids() {
    return xids;
  }

  /**
   * Stops polling and the XID thread, shuts NVML down on the poller thread after any poll in
   * progress, and waits up to 5 s for it; idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    try {
      executor.execute(this::shutdownSession);
    } catch (RejectedExecutionException alreadyStopped) {
      shutdownSession();
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("GPU poller did not stop within {}; leaving its daemon thread", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void shutdownSession() {
    if (closed) {
      return;
    }
    closed = true;
    snapshot = GpuSnapshot.unavailable("closed");
    if (xids != null) {
      xids.close();
    }
    if (session != null) {
      session.close();
    }
  }

  private boolean openSafely() {
    try {
      return open();
    } catch (RuntimeException | LinkageError e) {
      internalErrors.record("gpu.open", e);
      snapshot = GpuSnapshot.unavailable("NVML failed to initialise: " + e);
      firstPoll.countDown();
      return false;
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException | LinkageError e) {
      // A periodic task that throws is never run again; contain it so the next poll happens.
      internalErrors.record("gpu.poll", e);
    }
  }
}
