package dev.inferwatch.gpu;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.core.internal.DaemonThreads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every GPU for XID errors (the driver's critical-error reports) on a second daemon thread,
 * {@code inferwatch-gpu-xid}: it registers {@code nvmlEventTypeXidCriticalError} on each device and
 * blocks in {@code nvmlEventSetWait_v2} for at most {@value #WAIT_MILLIS} ms at a time, so {@link
 * #close()} stops it within a second. Each event counts in {@code gpu_xid_errors_total{xid}} (xid
 * values through a label guard) and is journalled as a {@code gpu_xid} event; past {@value
 * #JOURNAL_PER_SECOND} a second the rest of a flood is counted but journalled as one summary.
 *
 * <p>{@link AutoCloseable}; {@link #start} answers {@code null}, and starts no thread, when the
 * driver has no event API or no device supports XID events.
 *
 * <pre>{@code
 * XidWatcher xids = XidWatcher.start(session.calls(), session.devices(), metrics, iw.events());
 * ...
 * if (xids != null) xids.close();
 * }</pre>
 */
final class XidWatcher implements AutoCloseable, NvmlSession.XidCounts {

  /** The longest one native wait blocks; bounds how long {@link #close()} takes. */
  static final int WAIT_MILLIS = 200;

  /** Events journalled one by one per second; the metric counts every one. */
  static final int JOURNAL_PER_SECOND = 20;

  static final String THREAD_NAME = "inferwatch-gpu-xid";

  private static final Logger log = LoggerFactory.getLogger(XidWatcher.class);
  private static final long STOP_MILLIS = 1_000;
  private static final long SECOND = 1_000_000_000L;
  private static final long NO_INSTANCE = 0xFFFFFFFFL;
  private static final String WAIT_V2 = "nvmlEventSetWait_v2";
  private static final String WAIT_V1 = "nvmlEventSetWait";

  private final NvmlCalls calls;
  private final Nvml nvml;
  private final List<NvmlDevice> devices;
  private final GpuMetrics metrics;
  private final EventJournal journal;
  private final Pointer set;
  private final AtomicLongArray totals;
  private final AtomicLongArray last;
  private final Thread thread;
  private volatile boolean running = true;
  private boolean closed;
  private boolean v1;
  private long windowStart;
  private int journalled;
  private long suppressed;

  private XidWatcher(
      NvmlCalls calls,
      List<NvmlDevice> devices,
      GpuMetrics metrics,
      EventJournal journal,
      Pointer set) {
    this.calls = calls;
    this.nvml = calls.nvml;
    this.devices = devices;
    this.metrics = metrics;
    this.journal = journal;
    this.set = set;
    this.totals = new AtomicLongArray(devices.size());
    this.last = new AtomicLongArray(devices.size());
    this.thread = DaemonThreads.create(THREAD_NAME, this::run);
  }

  /**
   * Registers for XID events on every readable device and starts the thread; {@code null} (logged
   * once) when XID events cannot be had here.
   */
  static XidWatcher start(
      NvmlCalls calls, List<NvmlDevice> devices, GpuMetrics metrics, EventJournal journal) {
    Nvml nvml = calls.nvml;
    PointerByReference created = new PointerByReference();
    int rc = NvmlCalls.invoke(() -> nvml.nvmlEventSetCreate(created));
    if (rc != Nvml.SUCCESS) {
      if (!unsupported(rc)) {
        calls.failed("nvmlEventSetCreate", rc, "the system");
      }
      log.info("GPU XID errors not watched: nvmlEventSetCreate answered {}", describe(nvml, rc));
      return null;
    }
    Pointer set = created.getValue();
    int registered = 0;
    for (NvmlDevice d : devices) {
      if (d.handle == null) {
        continue;
      }
      rc =
          NvmlCalls.invoke(
              () ->
                  nvml.nvmlDeviceRegisterEvents(d.handle, Nvml.EVENT_TYPE_XID_CRITICAL_ERROR, set));
      if (rc == Nvml.SUCCESS) {
        registered++;
      } else if (!unsupported(rc)) {
        calls.failed("nvmlDeviceRegisterEvents", rc, "GPU " + d.label);
      }
    }
    if (registered == 0) {
      NvmlCalls.invoke(() -> nvml.nvmlEventSetFree(set));
      log.info("GPU XID errors not watched: no device supports XID events");
      return null;
    }
    XidWatcher watcher = new XidWatcher(calls, devices, metrics, journal, set);
    watcher.thread.start();
    log.info("GPU XID errors watched on {} of {} device(s)", registered, devices.size());
    return watcher;
  }

  /** {total, last xid} of the GPU with {@code index}. */
  @Override
  public long[] of(int index) {
    if (index < 0 || index >= totals.length()) {
      return null;
    }
    return new long[] {totals.get(index), last.get(index)};
  }

  /**
   * Stops the thread (within {@value #WAIT_MILLIS} ms plus a journal write, waited for up to a
   * second) and frees the event set; idempotent. Must run before NVML shuts down.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    running = false;
    thread.interrupt();
    try {
      thread.join(STOP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      // Freeing the set under a thread still inside nvmlEventSetWait could crash the driver.
      log.warn("GPU XID thread did not stop within {} ms; leaving its event set", STOP_MILLIS);
      return;
    }
    int rc = NvmlCalls.invoke(() -> nvml.nvmlEventSetFree(set));
    if (rc != Nvml.SUCCESS) {
      calls.failed("nvmlEventSetFree", rc, "the XID event set");
    }
  }

  /** Whether the thread is running, for tests. */
  boolean alive() {
    return thread.isAlive();
  }

  private void run() {
    Memory data = new Memory(Nvml.EventData.SIZE);
    windowStart = System.nanoTime();
    while (running) {
      int rc = waitOnce(data);
      if (rc == Nvml.SUCCESS) {
        if ((data.getLong(Nvml.EventData.TYPE) & Nvml.EVENT_TYPE_XID_CRITICAL_ERROR) != 0) {
          record(data);
        }
      } else if (rc != Nvml.ERROR_TIMEOUT) {
        calls.failed(v1 ? WAIT_V1 : WAIT_V2, rc, "the XID event set");
        pause();
      }
      flushWindow(System.nanoTime());
    }
  }

  private int waitOnce(Memory data) {
    if (!v1) {
      int rc = NvmlCalls.invoke(() -> nvml.nvmlEventSetWait_v2(set, data, WAIT_MILLIS));
      if (rc != Nvml.ERROR_FUNCTION_NOT_FOUND) {
        return rc;
      }
      v1 = true;
      // The old struct is a prefix of the new one: no instance ids, read as "none".
      data.setInt(Nvml.EventData.GPU_INSTANCE, (int) NO_INSTANCE);
    }
    return NvmlCalls.invoke(() -> nvml.nvmlEventSetWait(set, data, WAIT_MILLIS));
  }

  /** After a failed wait, waits out one period instead of spinning; close() interrupts it. */
  private void pause() {
    try {
      Thread.sleep(WAIT_MILLIS);
    } catch (InterruptedException e) {
      running = false;
    }
  }

  private void record(Memory data) {
    long handle = Pointer.nativeValue(data.getPointer(Nvml.EventData.DEVICE));
    long xid = data.getLong(Nvml.EventData.DATA);
    long instance = Integer.toUnsignedLong(data.getInt(Nvml.EventData.GPU_INSTANCE));
    NvmlDevice device = null;
    for (int i = 0; i < devices.size(); i++) {
      NvmlDevice d = devices.get(i);
      if (d.handle != null && Pointer.nativeValue(d.handle) == handle) {
        device = d;
        totals.incrementAndGet(i);
        last.set(i, xid);
        break;
      }
    }
    String gpu = device == null ? "unknown" : device.label;
    String uuid = device == null ? null : device.uuid;
    metrics.recordXid(gpu, uuid, xid);
    long now = System.nanoTime();
    flushWindow(now);
    if (journalled >= JOURNAL_PER_SECOND) {
      suppressed++;
      return;
    }
    journalled++;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("gpu", gpu);
    fields.put("uuid", uuid);
    fields.put("xid", xid);
    if (instance != NO_INSTANCE) {
      fields.put("gpu_instance", instance);
    }
    journal.emit(
        EventType.GPU_XID,
        "gpu " + gpu,
        "XID " + Long.toUnsignedString(xid) + " on GPU " + gpu + meaning(xid),
        fields);
  }

  /** Opens a new one-second window, first journalling how many events the last one held back. */
  private void flushWindow(long now) {
    if (now - windowStart < SECOND) {
      return;
    }
    windowStart = now;
    journalled = 0;
    if (suppressed > 0) {
      journal.emit(
          EventType.GPU_XID,
          "gpu",
          suppressed
              + " more XID events in one second were not journalled one by one;"
              + " gpu_xid_errors_total counts every one",
          Map.of("suppressed", suppressed));
      suppressed = 0;
    }
  }

  /** What the most common XIDs mean (NVIDIA's XID catalogue), for the journal. */
  static String meaning(long xid) {
    switch ((int) Math.min(xid, Integer.MAX_VALUE)) {
      case 13:
        return ": graphics engine exception";
      case 31:
        return ": GPU memory page fault";
      case 43:
        return ": GPU stopped processing";
      case 45:
        return ": preemptive cleanup after earlier errors";
      case 48:
        return ": double-bit ECC error";
      case 63:
        return ": row remapping / page retirement recorded";
      case 64:
        return ": row remapping / page retirement failed";
      case 74:
        return ": NVLink error";
      case 79:
        return ": GPU has fallen off the bus";
      case 92:
        return ": high single-bit ECC error rate";
      case 94:
        return ": contained ECC error";
      case 95:
        return ": uncontained ECC error";
      case 119:
      case 120:
        return ": GSP firmware error";
      case 999:
        return ": unknown XID";
      default:
        return "";
    }
  }

  private static boolean unsupported(int rc) {
    return rc == Nvml.ERROR_NOT_SUPPORTED || rc == Nvml.ERROR_FUNCTION_NOT_FOUND;
  }

  private static String describe(Nvml nvml, int rc) {
    return rc == Nvml.ERROR_FUNCTION_NOT_FOUND
        ? "function not found (driver without the event API)"
        : NvmlCalls.describe(nvml, rc);
  }
}
