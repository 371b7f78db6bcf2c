package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which paths the filter leaves unrecorded: a skipped prefix and everything under it. */
class MetricsFilterSkipTest {

  private final Inferwatch iw =
      Inferwatch.builder()
          .registry(new PrometheusRegistry())
          .jvmMetrics(false)
          .discoverModules(false)
          .build();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/metrics",
        "/metrics/",
        "/metrics/http",
        "/metrics.json",
        "/livez",
        "/readyz",
        "/startupz",
        "/health",
        "/health/gpu",
        "/ping"
      })
  void skipsDefaultPathsAndEverythingUnderThem(String path) {
    MetricsFilter filter = new MetricsFilter(iw);
    assertThat(filter.isSkipped(path, 0)).isTrue();
    assertThat(filter.isSkipped("/app" + path, 4)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "/m",
        "/metricsx",
        "/metrics.jsonx",
        "/healthy",
        "/hello",
        "/pingu",
        "/é"
      })
  void recordsPathsThatOnlyShareAPrefixString(String path) {
    MetricsFilter filter = new MetricsFilter(iw);
    assertThat(filter.isSkipped(path, 0)).isFalse();
    assertThat(filter.isSkipped("/app" + path, 4)).isFalse();
  }

  @Test
  void skipsCustomPrefixesIncludingTheRootAndNonAsciiOnes() {
    MetricsFilter filter = new MetricsFilter(iw, List.of("/", "/ünï", "/internal/admin"));
    assertThat(filter.isSkipped("/", 0)).isTrue();
    assertThat(filter.isSkipped("/ünï/x", 0)).isTrue();
    assertThat(filter.isSkipped("/internal/admin/users", 0)).isTrue();
    assertThat(filter.isSkipped("/internal/other", 0)).isFalse();
    assertThat(filter.isSkipped("/metrics", 0)).isFalse();
    assertThat(filter.skippedPaths()).containsExactly("/", "/ünï", "/internal/admin");
  }
}
