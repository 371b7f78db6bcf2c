package dev.inferwatch.core.internal;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * client_java's JVM and process collectors, registered at most once per registry: the set of {@code
 * JvmMetrics}, with the allocation counter replaced by {@link JvmAllocations}, whose GC listener
 * can be removed again (client_java's cannot, and pins an undeployed web application).
 */
public final class JvmCollectors {

  // Weak so a test registry that is dropped does not stay reachable from here.
  private static final Set<PrometheusRegistry> REGISTERED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private JvmCollectors() {}

  /**
   * Registers the collectors in {@code registry} unless this was done before; closing what is
   * returned takes the JVM-wide listeners off again (a no-op when nothing was registered).
   */
  public static AutoCloseable registerOnce(PrometheusRegistry registry, Labels constLabels) {
    if (!REGISTERED.add(registry)) {
      return () -> {};
    }
    // Their own registry, relabelled on each scrape: the builders' constLabels(...) is missing
    // in client_java 1.3 and 1.4, the versions Boot 3.5 and 4.0 manage (see ConstLabelled).
    PrometheusRegistry jvm = new PrometheusRegistry();
    JvmThreadsMetrics.builder().register(jvm);
    JvmBufferPoolMetrics.builder().register(jvm);
    JvmClassLoadingMetrics.builder().register(jvm);
    JvmCompilationMetrics.builder().register(jvm);
    JvmGarbageCollectorMetrics.builder().register(jvm);
    JvmMemoryMetrics.builder().register(jvm);
    if (nativeMemoryTracked()) {
      // Its builder asks the DiagnosticCommand MBean, which starts the platform MBean server
      // (80 ms of start-up on 2 cores), only to register nothing when tracking is off.
      JvmNativeMemoryMetrics.builder().register(jvm);
    }
    JvmRuntimeInfoMetric.builder().register(jvm);
    ProcessMetrics.builder().register(jvm);
    registry.register(new ConstLabelled(jvm, constLabels));
    JvmAllocations allocations = JvmAllocations.register(registry, constLabels);
    return allocations;
  }

  /**
   * Whether the JVM runs with {@code -XX:NativeMemoryTracking} on (the only case in which
   * client_java reports {@code jvm_native_memory_*}); true when the JVM cannot say, leaving the
   * check to client_java.
   */
  static boolean nativeMemoryTracked() {
    try {
      HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotspot == null
          || !"off".equals(hotspot.getVMOption("NativeMemoryTracking").getValue());
    } catch (RuntimeException | LinkageError e) {
      return true;
    }
  }

  /**
   * {@code jvm_memory_pool_allocated_bytes_total{pool}}, the family of client_java's {@code
   * JvmMemoryPoolAllocationMetrics}, with a listener that {@link #close()} takes off the garbage
   * collectors again.
   *
   * <p>client_java's own collector adds its listener to the JVM-wide GC beans for good: once a web
   * application that carries the library in {@code WEB-INF/lib} is undeployed, that listener still
   * holds the application's class loader (Tomcat's {@code findleaks} lists it after every
   * redeploy).
   */
  static final class JvmAllocations implements NotificationListener, AutoCloseable {

    static final String NAME = "jvm_memory_pool_allocated_bytes_total";

    private final Counter allocated;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final Map<String, Long> afterLastGc = new HashMap<>();

    private JvmAllocations(Counter allocated) {
      this.allocated = allocated;
    }

    static JvmAllocations register(PrometheusRegistry registry, Labels constLabels) {
      Counter counter =
          Counter.builder()
              .name(NAME)
              .help("Total bytes allocated in a given JVM memory pool. Only updated after GC.")
              .labelNames("pool")
              .constLabels(constLabels)
              .register(registry);
      JvmAllocations allocations = new JvmAllocations(counter);
      for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (bean instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(allocations, null, null);
          allocations.emitters.add(emitter);
        }
      }
      return allocations;
    }

    @Override
    public synchronized void handleNotification(Notification notification, Object handback) {
      if (!(notification.getUserData() instanceof CompositeData data)) {
        return;
      }
      GcInfo info = GarbageCollectionNotificationInfo.from(data).getGcInfo();
      Map<String, MemoryUsage> after = info.getMemoryUsageAfterGc();
      for (Map.Entry<String, MemoryUsage> before : info.getMemoryUsageBeforeGc().entrySet()) {
        MemoryUsage usageAfter = after.get(before.getKey());
        if (usageAfter != null) {
          record(before.getKey(), before.getValue().getUsed(), usageAfter.getUsed());
        }
      }
    }

    /**
     * Counts what a pool grew by between the last collection and this one, plus what it grew during
     * this one (survivor and old pools fill while a collection runs; eden fills between them).
     */
    void record(String pool, long usedBefore, long usedAfter) {
      Long previous = afterLastGc.put(pool, usedAfter);
      long sinceLast = usedBefore - (previous == null ? 0 : previous);
      long during = usedAfter - usedBefore;
      long grown = Math.max(0, sinceLast) + Math.max(0, during);
      if (grown > 0) {
        allocated.labelValues(pool).inc(grown);
      }
    }

    @Override
    public void close() {
      for (NotificationEmitter emitter : emitters) {
        try {
          emitter.removeNotificationListener(this);
        } catch (ListenerNotFoundException e) {
          // Already gone: nothing holds us.
        }
      }
      emitters.clear();
    }
  }
}
