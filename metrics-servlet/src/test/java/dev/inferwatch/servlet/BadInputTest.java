package dev.inferwatch.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.LabelGuard;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.RawHttp;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hostile request lines, sent raw over a socket: recorded under safe labels, never thrown. */
class BadInputTest {

  private static final String SAFE_ROUTE = "[A-Za-z0-9/{}._~*-]+|__unmatched__|__overflow__";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();

  private static byte[] line(String method, byte[] target) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(target);
    out.writeBytes(" HTTP/1.1".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void hostileRequestsAreRecordedUnderSafeLabels(Container container) throws Exception {
    List<byte[]> requests = new ArrayList<>();
    requests.add(line("GET", ascii("/search/%E2%82%AC%20%22quoted%22")));
    requests.add(line("GET", ascii("/a/%2e%2e/b")));
    requests.add(line("GET", ascii("/docs/../hello")));
    requests.add(line("GET", ascii("/long/" + "x".repeat(4_000))));
    requests.add(line("GET", new byte[] {'/', 'c', 'a', 'f', (byte) 0xE9, '/', (byte) 0xFF}));
    requests.add(line("GET", ascii("/%ZZ/bad-escape")));
    requests.add(line("BREW", ascii("/hello")));
    requests.add(line("GET", ascii("/hello?q=" + "%00".repeat(100))));
    requests.add(line("GET", ascii("/users/1;jsessionid=deadbeef/orders")));

    try (Container.Running app =
        container.start(
            new MetricsFilter(iw),
            Container.servlets(
                "/hello", TestServlets.text(200, "hi"), "/", TestServlets.text(200, "any")))) {
      int answered = 0;
      for (byte[] request : requests) {
        int status = RawHttp.status(app.base().getPort(), request);
        if (status > 0) {
          answered++;
        }
      }
      assertThat(answered).isEqualTo(requests.size());
    }

    Scrape s = Scrape.of(registry);
    assertThat(s.value("inferwatch_internal_errors_total")).isZero();
    assertThat(s.value("http_server_active_requests")).isZero();
    // Containers reject some of these before any filter runs (400); all others are recorded.
    assertThat(s.value("http_server_requests_total")).isGreaterThanOrEqualTo(4);
    assertThat(s.labelValues("http_server_requests_total", "method")).contains("_OTHER", "GET");
    for (String route : s.labelValues("http_server_requests_total", "route")) {
      assertThat(route).matches(SAFE_ROUTE).hasSizeLessThanOrEqualTo(LabelGuard.MAX_VALUE_LENGTH);
    }
    System.out.printf(
        "%s bad input: %s recorded under routes %s%n",
        container,
        s.value("http_server_requests_total"),
        s.labelValues("http_server_requests_total", "route"));
  }
}
