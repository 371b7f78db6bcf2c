package dev.inferwatch.benchmarks.peers;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Peer 2: a servlet filter recording the OpenTelemetry HTTP server metrics through the OTel SDK, as
 * OTel's servlet instrumentation does, with a metric reader attached (without a reader the SDK
 * aggregates nothing and the figure would flatter it).
 *
 * <p>Per the OpenTelemetry semantic conventions for HTTP metrics (stable): {@code
 * http.server.request.duration}, a histogram in seconds with the advised boundaries 0.005 … 10
 * ({@code setExplicitBucketBoundariesAdvice}, as instrumentation-api's {@code HttpServerMetrics}
 * applies them), recorded once per request with {@code http.request.method}, {@code http.route} and
 * {@code http.response.status_code}; and {@code http.server.active_requests}, an up-down counter
 * with {@code http.request.method}, incremented before the chain and decremented after it. Those
 * are the label sets the kit records; the conventions' {@code url.scheme} and {@code
 * network.protocol.version} are left out, which can only make the peer cheaper. The route comes
 * from the handler mapping ({@link MvcRoute}), as OTel's Spring MVC instrumentation sets {@code
 * http.route}. The SDK is built as its documentation's "Manual instrumentation" shows: an {@link
 * SdkMeterProvider} with a registered reader; the reader is cumulative (what a Prometheus scrape
 * reads) and in memory, so collection costs nothing between scrapes. Attributes are built per
 * request, as the instrumentation's attribute extractors do.
 *
 * <pre>{@code
 * OtelSdkFilter otel = new OtelSdkFilter();
 * context.addFilter(new FilterHolder(otel), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 */
public final class OtelSdkFilter implements Filter, AutoCloseable {

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

  /** The semantic conventions' advised boundaries for {@code http.server.request.duration}. */
  static final List<Double> DURATION_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider provider;
  private final DoubleHistogram duration;
  private final LongUpDownCounter active;

  /** A meter provider with an in-memory cumulative reader, and the two instruments. */
  public OtelSdkFilter() {
    provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    Meter meter = provider.get("io.opentelemetry.servlet-5.0");
    duration =
        meter
            .histogramBuilder("http.server.request.duration")
            .setUnit("s")
            .setDescription("Duration of HTTP server requests.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    active =
        meter
            .upDownCounterBuilder("http.server.active_requests")
            .setUnit("{request}")
            .setDescription("Number of active HTTP server requests.")
            .build();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    long start = System.nanoTime();
    String method = request.getMethod();
    Attributes activeAttributes = Attributes.of(METHOD, method);
    active.add(1, activeAttributes);
    try {
      chain.doFilter(request, response);
    } finally {
      active.add(-1, activeAttributes);
      String route = MvcRoute.of(request);
      Attributes attributes =
          route == null
              ? Attributes.of(METHOD, method, STATUS, (long) response.getStatus())
              : Attributes.of(METHOD, method, ROUTE, route, STATUS, (long) response.getStatus());
      duration.record((System.nanoTime() - start) / 1e9, attributes);
    }
  }

  /** What a scrape would read now. */
  public Collection<MetricData> collect() {
    return reader.collectAllMetrics();
  }

  /** Whether a request duration was recorded with {@code http.route} equal to {@code route}. */
  public boolean recordedRoute(String route) {
    return collect().stream()
        .flatMap(metric -> metric.getData().getPoints().stream())
        .anyMatch(point -> route.equals(point.getAttributes().get(ROUTE)));
  }

  @Override
  public void close() {
    provider.close();
  }
}
