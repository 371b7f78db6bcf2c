package dev.inferwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.gpu.GpuModule;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.FakePredictor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The auto-configuration's beans and conditions, without a web server. */
class InferwatchAutoConfigurationTest {

  // Each context gets its own registry bean, so no family is registered twice in one registry.
  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(InferwatchAutoConfiguration.class))
          .withBean(PrometheusRegistry.class, PrometheusRegistry::new)
          .withPropertyValues("inferwatch.discover-modules=false");

  @Test
  void buildsTheInstanceFromInferwatchProperties() {
    web.withPropertyValues(
            "inferwatch.service=shop",
            "inferwatch.env=prod",
            "inferwatch.namespace=acme",
            "inferwatch.app-version=2.1.0",
            "inferwatch.max-routes=77",
            "inferwatch.route-templates=/files/{id}")
        .run(
            context -> {
              Inferwatch iw = context.getBean(Inferwatch.class);
              assertThat(iw.service()).isEqualTo("shop");
              assertThat(iw.environment()).isEqualTo("prod");
              assertThat(iw.namespace()).isEqualTo("acme");
              assertThat(iw.version()).isEqualTo("2.1.0");
              assertThat(iw.routes().maxRoutes()).isEqualTo(77);
              assertThat(iw.routes().normalize("/files/abc").name()).isEqualTo("/files/{id}");
              assertThat(iw.registry()).isSameAs(context.getBean(PrometheusRegistry.class));
            });
  }

  @Test
  void theServiceDefaultsToTheApplicationName() {
    web.withPropertyValues("spring.application.name=checkout")
        .run(
            context ->
                assertThat(context.getBean(Inferwatch.class).service()).isEqualTo("checkout"));
  }

  @Test
  void inferwatchEnvironmentVariablesBindThroughRelaxedBinding() {
    Map<String, Object> variables =
        Map.of(
            "INFERWATCH_SERVICE", "from-env",
            "INFERWATCH_MAX_ROUTES", "33",
            "INFERWATCH_CHAT_TIMEOUT_MS", "1500",
            "INFERWATCH_METRICS_TOKEN", "t0ken",
            "INFERWATCH_EVENTS_CAPACITY", "64",
            "INFERWATCH_PREDICT_MAX_CONCURRENT", "2",
            "INFERWATCH_BODY_TIMEOUT_MS", "2s",
            "INFERWATCH_ADMIN_TOKEN", "adm1n");
    web.withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            variables)))
        .run(
            context -> {
              InferwatchProperties properties = context.getBean(InferwatchProperties.class);
              assertThat(properties.getService()).isEqualTo("from-env");
              assertThat(properties.getMaxRoutes()).isEqualTo(33);
              assertThat(properties.getChat().getTimeoutMs()).hasMillis(1500);
              assertThat(properties.getMetrics().getToken()).isEqualTo("t0ken");
              assertThat(properties.getEvents().getCapacity()).isEqualTo(64);
              assertThat(properties.getPredict().getMaxConcurrent()).isEqualTo(2);
              assertThat(properties.getBodyTimeoutMs()).hasSeconds(2);
              assertThat(properties.getAdminToken()).isEqualTo("adm1n");
              Inferwatch iw = context.getBean(Inferwatch.class);
              assertThat(iw.routes().maxRoutes()).isEqualTo(33);
              assertThat(iw.access().admin().accepts("Bearer adm1n")).isTrue();
              assertThat(iw.access().admin().accepts("Bearer t0ken")).isTrue();
              assertThat(iw.access().metrics().accepts("Bearer adm1n"))
                  .as("the admin token opens admin actions only")
                  .isFalse();
            });
  }

  @Test
  void registersTheFilterFirstAndTheKitsServletsOnTheirPaths() {
    web.run(
        context -> {
          FilterRegistrationBean<?> filter =
              context.getBean("inferwatchMetricsFilter", FilterRegistrationBean.class);
          assertThat(filter.getFilter()).isInstanceOf(MetricsFilter.class);
          assertThat(filter.getOrder()).isEqualTo(Integer.MIN_VALUE);
          assertThat(filter.isAsyncSupported()).isTrue();
          assertThat(filter.getUrlPatterns()).containsExactly("/*");
          assertThat(((MetricsFilter) filter.getFilter()).skippedPaths())
              .contains("/metrics", "/livez");
          assertThat(
                  urls(context.getBean("inferwatchMetricsServlet", ServletRegistrationBean.class)))
              .containsExactlyElementsOf(ServletPaths.METRICS);
          assertThat(urls(context.getBean("inferwatchProbeServlet", ServletRegistrationBean.class)))
              .containsExactlyElementsOf(ServletPaths.PROBES);
          assertThat(context)
              .hasBean("inferwatchInfoServlet")
              .hasBean("inferwatchStatusPageServlet");
          // Chat and predict need a model.
          assertThat(context)
              .doesNotHaveBean("inferwatchChatServlet")
              .doesNotHaveBean("inferwatchPredictServlet");
        });
  }

  @Test
  void chatAndPredictAppearWhenTheContextHoldsTheirModels() {
    web.withBean(FakeChatModel.class, () -> FakeChatModel.builder().build())
        .withBean(FakePredictor.class, () -> FakePredictor.builder().build())
        .run(
            context -> {
              assertThat(
                      urls(context.getBean("inferwatchChatServlet", ServletRegistrationBean.class)))
                  .containsExactlyElementsOf(ServletPaths.CHAT);
              assertThat(
                      urls(
                          context.getBean(
                              "inferwatchPredictServlet", ServletRegistrationBean.class)))
                  .containsExactlyElementsOf(ServletPaths.PREDICT);
            });
  }

  @Test
  void eachPartCanBeSwitchedOff() {
    web.withPropertyValues(
            "inferwatch.filter.enabled=false",
            "inferwatch.metrics.enabled=false",
            "inferwatch.probes.enabled=false",
            "inferwatch.info.enabled=false",
            "inferwatch.status.enabled=false")
        .run(
            context -> {
              assertThat(context).hasSingleBean(Inferwatch.class);
              assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
              assertThat(context).doesNotHaveBean(ServletRegistrationBean.class);
            });
  }

  @Test
  void theWholeStarterCanBeSwitchedOff() {
    web.withPropertyValues("inferwatch.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Inferwatch.class));
  }

  @Test
  void aUserInferwatchBeanReplacesOursAndTheFilterRecordsIntoIt() {
    web.withUserConfiguration(UserInferwatch.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(Inferwatch.class);
              Inferwatch iw = context.getBean(Inferwatch.class);
              assertThat(iw.service()).isEqualTo("users-own");
              assertThat(iw).isSameAs(context.getBean(UserInferwatch.class).instance);
            });
  }

  @Test
  void aUserFilterRegistrationReplacesOurs() {
    web.withUserConfiguration(UserFilter.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(FilterRegistrationBean.class);
              assertThat(context).hasBean("myFilter").doesNotHaveBean("inferwatchMetricsFilter");
            });
  }

  @Test
  void customizersAdjustTheBuilderAfterTheProperties() {
    web.withPropertyValues("inferwatch.max-routes=10")
        .withBean(InferwatchCustomizer.class, () -> builder -> builder.routes(r -> r.maxRoutes(11)))
        .run(
            context ->
                assertThat(context.getBean(Inferwatch.class).routes().maxRoutes()).isEqualTo(11));
  }

  @Test
  void theGpuModuleJoinsWhenItIsOnTheClasspath() {
    web.withPropertyValues(
            "inferwatch.gpu.interval=2", "inferwatch.nvml-library=/nonexistent/libnvidia-ml.so")
        .run(
            context -> {
              assertThat(context).hasSingleBean(GpuModule.class);
              assertThat(context.getBean(Inferwatch.class).module("gpu")).isPresent();
            });
    web.withClassLoader(new FilteredClassLoader(GpuModule.class))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean("inferwatchGpuModule");
              assertThat(context.getBean(Inferwatch.class).module("gpu")).isEmpty();
            });
  }

  @Test
  void closingTheContextTurnsReadinessDownAndClosesTheInstance() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(InferwatchAutoConfiguration.class))
        .withBean(PrometheusRegistry.class, PrometheusRegistry::new)
        .run(
            context -> {
              Inferwatch iw = context.getBean(Inferwatch.class);
              assertThat(iw.health().shuttingDown()).isFalse();
              context.close();
              assertThat(iw.health().shuttingDown()).isTrue();
              assertThat(iw.health().check(HealthGroup.READINESS).up()).isFalse();
            });
  }

  @Test
  void metricsCredentialsGuardTheInstanceItselfSoEveryKitServletAndThePortCheckThem() {
    web.withPropertyValues(
            "inferwatch.metrics.token=t0ken",
            "inferwatch.metrics.user=scraper",
            "inferwatch.metrics.password=s3cret")
        .run(
            context -> {
              var credentials = context.getBean(Inferwatch.class).access().metrics();
              assertThat(credentials.admits("Bearer t0ken")).isTrue();
              assertThat(credentials.admits("Basic c2NyYXBlcjpzM2NyZXQ=")).isTrue();
              assertThat(credentials.admits(null)).isFalse();
              assertThat(credentials.admits("Bearer wrong")).isFalse();
            });
    web.run(
        context ->
            assertThat(context.getBean(Inferwatch.class).access().metrics().admits(null)).isTrue());
  }

  @Test
  void theManagementPortAsksForTheMetricsTokenAndWithoutCredentialsListensOnLoopbackOnly() {
    web.withPropertyValues("inferwatch.metrics.port=0", "inferwatch.metrics.token=t0ken")
        .run(
            context -> {
              int port = context.getBean(Inferwatch.class).managementPort();
              assertThat(status(port, null)).isEqualTo(401);
              assertThat(status(port, "Bearer t0ken")).isEqualTo(200);
            });
    web.withPropertyValues("inferwatch.metrics.port=0")
        .run(
            context -> {
              Inferwatch iw = context.getBean(Inferwatch.class);
              assertThat(iw.managementPort()).isPositive();
              assertThat(status(iw.managementPort(), null)).isEqualTo(200);
              // Unprotected, it is not reachable on this machine's other addresses.
              for (InetAddress address : nonLoopbackAddresses()) {
                try (Socket socket = new Socket()) {
                  assertThat(
                          catchThrowable(
                              () ->
                                  socket.connect(
                                      new InetSocketAddress(address, iw.managementPort()), 2_000)))
                      .as(address.toString())
                      .isInstanceOf(IOException.class);
                }
              }
            });
  }

  private static List<InetAddress> nonLoopbackAddresses() throws Exception {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(
            nic -> {
              try {
                return nic.isUp() && !nic.isLoopback();
              } catch (SocketException e) {
                return false;
              }
            })
        .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
        .filter(address -> address instanceof Inet4Address)
        .toList();
  }

  private static int status(int port, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void mismatchedBasicCredentialsStopTheStartWithTheirNames() {
    web.withPropertyValues("inferwatch.metrics.user=scraper")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "inferwatch.metrics.user and inferwatch.metrics.password"));
  }

  private static java.util.Collection<String> urls(ServletRegistrationBean<?> registration) {
    return registration.getUrlMappings();
  }

  @Configuration(proxyBeanMethods = false)
  static class UserInferwatch {
    final Inferwatch instance =
        Inferwatch.builder()
            .registry(new PrometheusRegistry())
            .service("users-own")
            .jvmMetrics(false)
            .discoverModules(false)
            .build();

    @Bean
    Inferwatch myInferwatch() {
      return instance;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserFilter {
    @Bean
    FilterRegistrationBean<MetricsFilter> myFilter(Inferwatch iw) {
      return new FilterRegistrationBean<>(new MetricsFilter(iw));
    }
  }
}
