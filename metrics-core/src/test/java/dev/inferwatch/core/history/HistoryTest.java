package dev.inferwatch.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.http.HttpMethod;
import dev.inferwatch.core.http.Route;
import dev.inferwatch.core.internal.Naming;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HistoryTest {

  private static final long SECOND = 1_000_000_000L;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final History history =
      new History(Naming.of(null, null, null), registry, iw.internalErrors(), false);
  private long epochMillis = 1_800_000_000_000L;
  private long nanos = 0;

  @AfterEach
  void close() {
    iw.close();
  }

  private void sampleTenSecondsLater() {
    epochMillis += 10_000;
    nanos += 10 * SECOND;
    history.sample(epochMillis, nanos);
  }

  private void request(Route route, int status, double seconds) {
    iw.http().started(HttpMethod.GET);
    iw.http().finished(HttpMethod.GET, route, status, (long) (seconds * SECOND));
  }

  @Test
  void ratesRatiosAndQuantilesDescribeEachIntervalAlone() {
    Route hello = iw.routes().normalize("/hello");
    for (int i = 0; i < 100; i++) {
      request(hello, 200, 0.010);
    }
    sampleTenSecondsLater();
    for (int i = 0; i < 50; i++) {
      request(hello, i < 10 ? 503 : 200, 2.0);
    }
    iw.http().started(HttpMethod.POST); // one in flight at sampling time
    sampleTenSecondsLater();

    Map<String, List<Object[]>> series = series(history.toMap(Double.NEGATIVE_INFINITY));
    assertThat(series.get("http_requests_per_second")).hasSize(2);
    assertThat(series.get("http_requests_per_second").get(0)[1]).isNull(); // no interval yet
    assertThat((double) series.get("http_requests_per_second").get(1)[1])
        .isCloseTo(5.0, within(1e-9));
    assertThat((double) series.get("http_5xx_ratio").get(1)[1]).isCloseTo(0.2, within(1e-9));
    assertThat((double) series.get("http_p50_seconds").get(1)[1]).isCloseTo(2.0, within(0.05));
    assertThat((double) series.get("http_in_flight").get(1)[1]).isEqualTo(1.0);
    assertThat((double) series.get("jvm_heap_used_bytes").get(1)[1]).isPositive();
    assertThat(series.get("http_requests_per_second").get(1)[0]).isEqualTo(epochMillis / 1000);
  }

  @Test
  void sinceReturnsOnlyNewerPoints() {
    for (int i = 0; i < 3; i++) {
      sampleTenSecondsLater();
    }
    long newest = epochMillis / 1000;

    Map<String, List<Object[]>> all = series(history.toMap(Double.NEGATIVE_INFINITY));
    Map<String, List<Object[]>> newer = series(history.toMap(newest - 15));
    Map<String, List<Object[]>> none = series(history.toMap(newest));

    assertThat(all.get("http_in_flight"))
        .extracting(p -> p[0])
        .containsExactly(newest - 20, newest - 10, newest);
    assertThat(newer.values())
        .allSatisfy(
            points ->
                assertThat(points).extracting(p -> p[0]).containsExactly(newest - 10, newest));
    assertThat(none.values()).allSatisfy(points -> assertThat(points).isEmpty());
    assertThat(history.toMap(newest).get("newest")).isEqualTo(newest);
  }

  @Test
  void memoryStaysFixedAfterAMillionRequests() {
    Route[] routes = new Route[20];
    for (int i = 0; i < routes.length; i++) {
      routes[i] = iw.routes().normalize("/route" + i);
    }
    double[] latencies = new double[64];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = 0.001 * (i + 1);
    }
    for (int p = 0; p < 40; p++) { // past the provider cap
      iw.providers().setProviderHealthScore("provider" + p, 0.9);
    }
    GaugeWithCallback.builder()
        .name("gpu_utilization_ratio")
        .labelNames("gpu")
        .callback(
            g -> {
              for (int gpu = 0; gpu < 20; gpu++) { // past the GPU cap
                g.call(0.5, Integer.toString(gpu));
              }
            })
        .register(registry);

    long retainedWhenFull = -1;
    for (int i = 1; i <= 1_000_000; i++) {
      request(routes[i % routes.length], i % 97 == 0 ? 500 : 200, latencies[i % latencies.length]);
      if (i % 2_000 == 0) { // 500 samples: the ring wraps almost three times
        sampleTenSecondsLater();
        if (history.samples() == History.CAPACITY && retainedWhenFull < 0) {
          retainedWhenFull = retained(history);
        }
      }
    }

    assertThat(history.samples()).isEqualTo(History.CAPACITY);
    assertThat(retained(history)).isEqualTo(retainedWhenFull);
    Map<String, Object> map = history.toMap(Double.NEGATIVE_INFINITY);
    assertThat((Map<?, ?>) map.get("providers")).hasSize(History.MAX_PROVIDERS);
    assertThat((Map<?, ?>) map.get("gpus")).hasSize(History.MAX_GPUS);
    assertThat(series(map).values())
        .allSatisfy(points -> assertThat(points).hasSize(History.CAPACITY));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, List<Object[]>> series(Map<String, Object> history) {
    return (Map<String, List<Object[]>>) history.get("series");
  }

  /**
   * Bytes the history holds itself (objects and arrays reachable from it, shared registry objects
   * left out), estimated at 16 bytes per object header and 8 per field or array element.
   */
  private static long retained(Object root) {
    IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    Deque<Object> todo = new ArrayDeque<>(List.of(root));
    long bytes = 0;
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (seen.put(o, Boolean.TRUE) != null || shared(o)) {
        continue;
      }
      Class<?> type = o.getClass();
      if (type.isArray()) {
        int length = Array.getLength(o);
        bytes += 16 + 8L * length;
        if (!type.getComponentType().isPrimitive()) {
          for (int i = 0; i < length; i++) {
            Object element = Array.get(o, i);
            if (element != null) {
              todo.push(element);
            }
          }
        }
        continue;
      }
      bytes += 16;
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers())) {
            continue;
          }
          bytes += 8;
          if (!f.getType().isPrimitive()) {
            try {
              f.setAccessible(true);
              Object value = f.get(o);
              if (value != null) {
                todo.push(value);
              }
            } catch (ReflectiveOperationException | RuntimeException e) {
              // A JDK class that will not open: counted as one field.
            }
          }
        }
      }
    }
    return bytes;
  }

  /** The registry, its snapshots, the error counter and JDK internals are not the history's. */
  private static boolean shared(Object o) {
    String name = o.getClass().getName();
    return name.startsWith("io.prometheus.")
        || name.startsWith("dev.inferwatch.core.internal.InternalErrors")
        || name.startsWith("dev.inferwatch.core.internal.Naming")
        || name.startsWith("java.lang.Class")
        || o instanceof String;
  }
}
