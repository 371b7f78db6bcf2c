package dev.inferwatch.gpu;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.InferwatchModule;
import dev.inferwatch.core.Settings;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NVIDIA GPU telemetry through NVML, as the {@code gpu_*} families and the {@code gpu} module
 * status: utilisation, memory (and this process's share of it, per MIG instance with MIG on),
 * temperatures, power and its limit, energy, clocks, throttle reasons, ECC errors, remapped rows,
 * PCIe, and XID errors watched on a second thread and journalled as {@code gpu_xid} events.
 *
 * <p>On the classpath it joins every {@link Inferwatch} by itself ({@link java.util.ServiceLoader},
 * configured from {@code INFERWATCH_GPU_ENABLED}, {@code INFERWATCH_GPU_INTERVAL} and {@code
 * INFERWATCH_NVML_LIBRARY}); add it explicitly to configure it in code. Safe on any machine:
 * without an NVIDIA driver it logs one line, reports {@code gpu_nvml_up 0} and starts no thread.
 * {@link #close()} stops both threads (the XID one within a second).
 *
 * <pre>{@code
 * Inferwatch iw = Inferwatch.builder()
 *     .module(GpuModule.builder().interval(Duration.ofSeconds(2)).build())
 *     .build();
 * Map<String, Object> gpus = iw.module("gpu").orElseThrow().status();
 * }</pre>
 */
public final class GpuModule implements InferwatchModule {

  /** How often the poller reads every device. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(GpuModule.class);

  private final boolean enabled;
  private final Duration interval;
  private final String library;
  private final Nvml nvml;
  private volatile GpuSnapshot absent = GpuSnapshot.unavailable("GPU module not started");
  private volatile GpuPoller poller;
  private boolean started;

  /** Configured from the environment; what {@link java.util.ServiceLoader} calls. */
  public GpuModule() {
    this(builder().settings(Settings.fromEnvironment()));
  }

  private GpuModule(Builder builder) {
    this.enabled = builder.enabled;
    this.interval = builder.interval;
    this.library = builder.library;
    this.nvml = builder.nvml;
  }

  /** A builder with the defaults: enabled, every 5 s, the driver's library names. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code gpu}. */
  @Override
  public String name() {
    return "gpu";
  }

  /**
   * Registers the GPU families and, when NVML loads, starts the poller thread; once per module
   * (later calls are no-ops).
   */
  @Override
  public synchronized void start(Inferwatch iw) {
    if (started) {
      return;
    }
    started = true;
    GpuMetrics metrics = new GpuMetrics(iw, this::snapshot);
    if (!enabled) {
      absent = GpuSnapshot.unavailable("disabled (INFERWATCH_GPU_ENABLED=false)");
      log.info("GPU telemetry off: disabled by configuration");
      return;
    }
    Nvml binding = nvml;
    if (binding == null) {
      NvmlLoader.Result loaded = NvmlLoader.load(library);
      if (loaded.nvml() == null) {
        absent = GpuSnapshot.unavailable(loaded.failure());
        log.info("GPU telemetry off: {}; gpu_nvml_up is 0", loaded.failure());
        return;
      }
      binding = loaded.nvml();
    }
    GpuPoller started = new GpuPoller(binding, metrics, iw.internalErrors(), iw.events());
    started.start(interval);
    poller = started;
  }

  /**
   * {@code available}, {@code driver_version}, {@code nvml_error} and {@code devices} (one map per
   * GPU with its latest readings, absent fields omitted); reads the last snapshot, never NVML.
   */
  @Override
  public Map<String, Object> status() {
    return snapshot().status();
  }

  /** Stops the poller and XID threads and shuts NVML down; idempotent. */
  @Override
  public void close() {
    GpuPoller running = poller;
    if (running != null) {
      running.close();
    }
  }

  GpuSnapshot snapshot() {
    GpuPoller running = poller;
    return running != null ? running.snapshot() : absent;
  }

  GpuPoller poller() {
    return poller;
  }

  /** Configures a {@link GpuModule}; setters check their argument and name it on error. */
  public static final class Builder {
    private boolean enabled = true;
    private Duration interval = DEFAULT_INTERVAL;
    private String library;
    private Nvml nvml;

    private Builder() {}

    /** Whether to read GPUs at all (default on); off still exposes {@code gpu_nvml_up 0}. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** How often to poll NVML; at least 10 ms. */
    public Builder interval(Duration interval) {
      if (interval == null || interval.toMillis() < 10) {
        throw new IllegalArgumentException(
            "GPU poll interval must be at least 10 ms, got " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** An explicit path or name for {@code libnvidia-ml}, tried instead of the default names. */
    public Builder library(String library) {
      this.library = library;
      return this;
    }

    /**
     * Applies {@code GPU_ENABLED}, {@code GPU_INTERVAL} (seconds, or with a unit: {@code 500ms},
     * {@code 2s}, {@code 1m}, {@code PT5S}) and {@code NVML_LIBRARY} from {@code settings}.
     */
    public Builder settings(Settings settings) {
      enabled(settings.getBoolean("GPU_ENABLED", enabled));
      Duration every =
          settings.get(
              "GPU_INTERVAL",
              null,
              text -> checked(parseInterval(text)),
              "not seconds or a duration like 500ms, 2s, 1m or PT5S of at least 10 ms");
      if (every != null) {
        interval(every);
      }
      String path = settings.get("NVML_LIBRARY");
      if (path != null) {
        library(path);
      }
      return this;
    }

    Builder nvml(Nvml nvml) {
      this.nvml = nvml;
      return this;
    }

    /** The configured module, ready to hand to {@link Inferwatch.Builder#module}. */
    public GpuModule build() {
      return new GpuModule(this);
    }

    private static Duration checked(Duration interval) {
      if (interval.toMillis() < 10) {
        throw new IllegalArgumentException("under 10 ms");
      }
      return interval;
    }

    static Duration parseInterval(String text) {
      String value = text.trim().toLowerCase(Locale.ROOT);
      try {
        if (value.startsWith("pt")) {
          return Duration.parse(value);
        }
        if (value.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
        }
        if (value.endsWith("s")) {
          return Duration.ofMillis(
              Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
        }
        if (value.endsWith("m")) {
          return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1).trim()));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
      } catch (NumberFormatException | DateTimeParseException e) {
        throw new IllegalArgumentException(
            "INFERWATCH_GPU_INTERVAL must be seconds or a duration like 500ms, 2s, PT5S; got '"
                + text
                + "'",
            e);
      }
    }
  }
}
