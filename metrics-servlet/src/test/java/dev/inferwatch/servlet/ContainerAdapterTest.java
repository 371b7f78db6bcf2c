package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.Json;
import dev.inferwatch.servlet.probe.InfoServlet;
import dev.inferwatch.servlet.tomcat.InferwatchValve;
import dev.inferwatch.servlet.tomcat.TimedThreadExecutor;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.RawHttp;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import jakarta.servlet.Filter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The optional container adapters (Jetty's InferwatchHandler, Tomcat's InferwatchValve): durations
 * from the request's arrival, the queue time before the filter, and the requests the container
 * refuses before any filter, in real Jetty 12 and Tomcat 11.
 */
class ContainerAdapterTest {

  private static final long HELD_MILLIS = 200;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final HttpClient client = HttpClient.newHttpClient();

  /** The filter behind 200 ms of work the container does first: what parsing or a queue costs. */
  private Filter heldBeforeTheFilter() {
    MetricsFilter filter = new MetricsFilter(iw);
    return (request, response, chain) -> {
      try {
        Thread.sleep(HELD_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      filter.doFilter(request, response, chain);
    };
  }

  private Container.Running start(Container container, boolean adapted) throws Exception {
    return container.start(
        heldBeforeTheFilter(),
        Container.servlets("/hello", TestServlets.text(200, "hi"), "/info", new InfoServlet(iw)),
        adapted ? iw : null);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void durationsRunFromArrivalAndTheWaitBeforeTheFilterIsQueueTime(Container container)
      throws Exception {
    try (Container.Running app = start(container, true)) {
      for (int i = 0; i < 3; i++) {
        assertThat(get(app, "/hello").statusCode()).isEqualTo(200);
      }
      double[] duration = histogram("http_server_request_duration_seconds", p -> true);
      double[] queue = histogram("http_server_request_queue_duration_seconds", p -> true);
      assertThat(duration[0]).isEqualTo(3);
      assertThat(duration[1]).isGreaterThanOrEqualTo(3 * HELD_MILLIS / 1000.0);
      assertThat(queue[0]).isEqualTo(3);
      assertThat(queue[1]).isGreaterThanOrEqualTo(3 * HELD_MILLIS / 1000.0);
      JsonNode timing = Json.MAPPER.readTree(get(app, "/info").body()).path("request_timing");
      assertThat(timing.path("from").asText()).isEqualTo("arrival");
      assertThat(timing.path("source").asText())
          .contains(container == Container.JETTY ? "Jetty" : "Tomcat");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void withoutAnAdapterDurationsRunFromFilterEntryAndInfoSaysSo(Container container)
      throws Exception {
    try (Container.Running app = start(container, false)) {
      for (int i = 0; i < 3; i++) {
        assertThat(get(app, "/hello").statusCode()).isEqualTo(200);
      }
      double[] duration = histogram("http_server_request_duration_seconds", p -> true);
      assertThat(duration[0]).isEqualTo(3);
      assertThat(duration[1]).isLessThan(3 * HELD_MILLIS / 1000.0);
      assertThat(histogram("http_server_request_queue_duration_seconds", p -> true)[0]).isZero();
      JsonNode timing = Json.MAPPER.readTree(get(app, "/info").body()).path("request_timing");
      assertThat(timing.path("from").asText()).isEqualTo("filter_entry");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void requestsTheContainerRefusesBeforeAnyFilterCountAsRejected(Container container)
      throws Exception {
    List<String> refused = new ArrayList<>(List.of("/%zz", "/x%2Fy", "/bad%GGencoding"));
    if (container == Container.JETTY) {
      refused.add("/a//b"); // Tomcat merges the empty segment instead of refusing it
    }
    try (Container.Running app = start(container, true)) {
      for (String path : refused) {
        assertThat(RawHttp.get(app.base().getPort(), path)).as(path).isEqualTo(400);
      }
      assertThat(RawHttp.get(app.base().getPort(), "/hello")).isEqualTo(200);

      // The containers log a request after its response is out: wait for the last one.
      Predicate<DataPointSnapshot> rejected =
          p -> "__rejected__".equals(p.getLabels().get("route"));
      for (int i = 0; i < 100 && count(rejected) < refused.size(); i++) {
        Thread.sleep(20);
      }
      assertThat(count(rejected.and(p -> "400".equals(p.getLabels().get("status")))))
          .isEqualTo(refused.size());
      assertThat(count(rejected)).isEqualTo(refused.size());
      assertThat(count(p -> "/hello".equals(p.getLabels().get("route")))).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void withoutAnAdapterRefusedRequestsAreInvisible(Container container) throws Exception {
    try (Container.Running app = start(container, false)) {
      assertThat(RawHttp.get(app.base().getPort(), "/%zz")).isEqualTo(400);
      assertThat(count(p -> true)).isZero();
    }
  }

  private HttpResponse<String> get(Container.Running app, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTimedExecutorTakesTheSizesTheConnectorWasGivenAndLeavesOtherExecutorsAlone() {
    Inferwatch iw = Inferwatch.builder().registry(new PrometheusRegistry()).build();
    Tomcat tomcat = new Tomcat();
    Connector connector = new Connector();
    AbstractProtocol<?> protocol = (AbstractProtocol<?>) connector.getProtocolHandler();
    protocol.setMaxThreads(37);
    protocol.setMinSpareThreads(5);
    protocol.setMaxQueueSize(100);
    assertThat(InferwatchValve.timeQueue(connector, iw))
        .as("a connector no service holds yet")
        .isFalse();
    tomcat.getService().addConnector(connector);

    assertThat(InferwatchValve.timeQueue(connector, iw)).isTrue();

    assertThat(protocol.getExecutor()).isInstanceOf(TimedThreadExecutor.class);
    TimedThreadExecutor executor = (TimedThreadExecutor) protocol.getExecutor();
    assertThat(executor.getMaxThreads()).isEqualTo(37);
    assertThat(executor.getMinSpareThreads()).isEqualTo(5);
    assertThat(executor.getMaxQueueSize()).isEqualTo(100);
    assertThat(tomcat.getService().findExecutors()).containsExactly(executor);
    assertThat(iw.http().arrivalSource()).contains("TimedThreadExecutor");
    assertThat(InferwatchValve.timeQueue(connector, iw)).as("it has an executor now").isFalse();
    iw.close();
  }

  private double count(Predicate<DataPointSnapshot> filter) {
    double total = 0;
    for (DataPointSnapshot p : points("http_server_requests")) {
      if (filter.test(p)) {
        total +=
            ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) p)
                .getValue();
      }
    }
    return total;
  }

  private double[] histogram(String name, Predicate<DataPointSnapshot> filter) {
    double[] countAndSum = new double[2];
    for (DataPointSnapshot p : points(name)) {
      if (filter.test(p)) {
        countAndSum[0] += ((HistogramDataPointSnapshot) p).getCount();
        countAndSum[1] += ((HistogramDataPointSnapshot) p).getSum();
      }
    }
    return countAndSum;
  }

  private List<? extends DataPointSnapshot> points(String name) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals(name)) {
        return snapshot.getDataPoints();
      }
    }
    return List.of();
  }
}
