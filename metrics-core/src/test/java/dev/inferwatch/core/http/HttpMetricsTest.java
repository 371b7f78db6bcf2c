package dev.inferwatch.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Exposition;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import dev.inferwatch.core.internal.Buckets;
import dev.inferwatch.core.internal.MetricNames;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class HttpMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(registry)
          .jvmMetrics(false)
          .discoverModules(false)
          .routes(r -> r.template("/v1/models/{id}").maxRoutes(3))
          .build();
  private final Samples samples = new Samples(registry);

  private void request(String method, String path, int status) {
    HttpMethod m = HttpMethod.of(method);
    iw.http().started(m);
    iw.http().finished(m, iw.routes().normalize(path), status, 2_000_000);
  }

  @Test
  void countsRequestsByMethodRouteAndStatus() {
    request("GET", "/users/1/orders", 200);
    request("GET", "/users/2/orders", 200);
    request("POST", "/users/3/orders", 201);

    assertThat(
            samples.value(
                MetricNames.HTTP_REQUESTS, "route", "/users/{id}/orders", "status", "200"))
        .isEqualTo(2);
    assertThat(samples.value(MetricNames.HTTP_REQUESTS, "method", "POST", "status", "201"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.HTTP_DURATION, "route", "/users/{id}/orders"))
        .isEqualTo(3);
    assertThat(samples.value(MetricNames.HTTP_ACTIVE)).isZero();
  }

  @Test
  void untemplated404sAreUnmatchedAndDoNotConsumeRouteSlots() {
    for (int i = 0; i < 50; i++) {
      request("GET", "/probe-" + i + "/wp-admin", 404);
    }
    request("GET", "/v1/models/missing", 404);

    assertThat(samples.value(MetricNames.HTTP_REQUESTS, "route", RouteNormalizer.UNMATCHED))
        .isEqualTo(50);
    assertThat(
            samples.value(MetricNames.HTTP_REQUESTS, "route", "/v1/models/{id}", "status", "404"))
        .isEqualTo(1);
    assertThat(iw.http().admittedRoutes()).isEqualTo(1);
  }

  @Test
  void routesPastTheCapAreCountedAsOverflowNotDropped() {
    for (int i = 0; i < 10; i++) {
      request("GET", "/page" + (char) ('a' + i), 200);
    }

    assertThat(samples.labelValues(MetricNames.HTTP_REQUESTS, "route"))
        .containsExactlyInAnyOrder("/pagea", "/pageb", "/pagec", RouteNormalizer.OVERFLOW);
    assertThat(samples.value(MetricNames.HTTP_REQUESTS)).isEqualTo(10);
    assertThat(samples.value(MetricNames.HTTP_REQUESTS, "route", RouteNormalizer.OVERFLOW))
        .isEqualTo(7);
    assertThat(
            samples.value("inferwatch_label_overflow_total", "family", MetricNames.HTTP_REQUESTS))
        .isEqualTo(7);
  }

  @Test
  void unknownMethodsAreRecordedAsOther() {
    request("BREW", "/coffee", 418);
    request("get", "/coffee", 200);

    assertThat(samples.labelValues(MetricNames.HTTP_REQUESTS, "method")).containsExactly("_OTHER");
  }

  @Test
  void failuresAreLabelledByErrorTypeOrStatus() {
    Route route = iw.routes().normalize("/fail");
    iw.http().failed(route, 500, "IllegalStateException");
    iw.http().failed(route, 503, null);

    assertThat(samples.value(MetricNames.HTTP_ERRORS, "error_type", "IllegalStateException"))
        .isEqualTo(1);
    assertThat(samples.value(MetricNames.HTTP_ERRORS, "error_type", "503")).isEqualTo(1);
  }

  @Test
  void durationsLandInTheCatalogueBuckets() {
    request("GET", "/hello", 200);
    String text = Exposition.text(registry);
    assertThat(text)
        .contains(
            "http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/hello\","
                + "status=\"200\",le=\"0.005\"} 1");
    for (double bound : Buckets.HTTP_SECONDS) {
      assertThat(text).contains("le=\"" + bound + "\"");
    }
  }
}
