package dev.inferwatch.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The starter without Micrometer's Prometheus registry, on the client_java that Boot's parent
 * manages: the kit owns the registry and runs its own JVM collectors, labelled like every family.
 */
@EnabledIf("dev.inferwatch.spring.it.Containers#tomcat")
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.prometheus.metrics.export.enabled=false")
class StarterOwnRegistryTest {

  @Value("${local.server.port}")
  int port;

  @Test
  void runsOnTheClientJavaBootManages() {
    String managed = System.getProperty("prometheus-client.version");
    assertThat(managed).as("set by the pom from Boot's parent").isNotBlank();
    String jar =
        PrometheusRegistry.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertThat(jar).endsWith("prometheus-metrics-model-" + managed + ".jar");
  }

  @Test
  void jvmFamiliesCarryServiceAndEnvOnTheKitsOwnRegistry() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Authorization", "Bearer it-token")
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Scrape scrape = Scrape.parse(response.body());

    // A gauge, a counter, a summary, an info and the kit's allocation counter.
    for (String family :
        new String[] {
          "jvm_threads_current",
          "process_cpu_seconds_total",
          "jvm_gc_collection_seconds_count",
          "jvm_runtime_info",
          "jvm_memory_used_bytes",
          "http_server_active_requests"
        }) {
      assertThat(scrape.has(family)).as(family).isTrue();
      assertThat(scrape.labelValues(family, "service")).as(family).containsExactly("shop");
      assertThat(scrape.labelValues(family, "env")).as(family).containsExactly("it");
    }
    assertThat(scrape.value("inferwatch_internal_errors_total")).isZero();
  }
}
