package dev.inferwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inferwatch.core.events.EventJournal;
import dev.inferwatch.core.http.RouteNormalizer;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.predict.PredictServlet;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IDE metadata the configuration processor writes into the jar: every property named, with its
 * description from the field's Javadoc and its default.
 */
class PropertiesMetadataTest {

  @Test
  void describesEveryPropertyWithItsDefault() throws Exception {
    Map<String, JsonNode> properties = new HashMap<>();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("metadata in the jar").isNotNull();
      for (JsonNode property : new ObjectMapper().readTree(in).get("properties")) {
        properties.put(property.get("name").asText(), property);
      }
    }

    assertThat(properties)
        .containsKeys(
            "inferwatch.enabled",
            "inferwatch.service",
            "inferwatch.env",
            "inferwatch.max-routes",
            "inferwatch.metrics.token",
            "inferwatch.metrics.port",
            "inferwatch.events.path",
            "inferwatch.chat.timeout-ms",
            "inferwatch.predict.max-concurrent",
            "inferwatch.body-timeout-ms",
            "inferwatch.gpu.interval",
            "inferwatch.langchain4j.enabled",
            "inferwatch.nvml-library");
    assertThat(properties.values())
        .allSatisfy(p -> assertThat(p.path("description").asText()).isNotBlank());
    assertThat(properties.get("inferwatch.service").get("description").asText())
        .contains("spring.application.name");
    // The defaults an IDE shows are the kit's own, wherever they are written down.
    assertThat(defaultOf(properties, "inferwatch.max-routes"))
        .isEqualTo(RouteNormalizer.DEFAULT_MAX_ROUTES);
    assertThat(defaultOf(properties, "inferwatch.events.capacity"))
        .isEqualTo(EventJournal.DEFAULT_CAPACITY);
    assertThat(defaultOf(properties, "inferwatch.chat.max-request-bytes"))
        .isEqualTo(ChatCompletionsServlet.DEFAULT_MAX_REQUEST_BYTES);
    assertThat(defaultOf(properties, "inferwatch.chat.max-concurrent"))
        .isEqualTo(ChatCompletionsServlet.DEFAULT_MAX_CONCURRENT);
    assertThat(defaultOf(properties, "inferwatch.chat.max-queued"))
        .isEqualTo(ChatCompletionsServlet.DEFAULT_MAX_QUEUED);
    assertThat(defaultOf(properties, "inferwatch.predict.max-body-bytes"))
        .isEqualTo(PredictServlet.DEFAULT_MAX_BODY_BYTES);
    assertThat(defaultOf(properties, "inferwatch.predict.max-concurrent"))
        .isEqualTo(PredictServlet.DEFAULT_THREADS);
    assertThat(defaultOf(properties, "inferwatch.predict.max-queued"))
        .isEqualTo(PredictServlet.DEFAULT_MAX_QUEUED);
    List<String> skipped = new ArrayList<>();
    properties
        .get("inferwatch.filter.skipped-paths")
        .get("defaultValue")
        .forEach(p -> skipped.add(p.asText()));
    assertThat(skipped).isEqualTo(MetricsFilter.DEFAULT_SKIPPED_PATHS);
  }

  private static long defaultOf(Map<String, JsonNode> properties, String name) {
    JsonNode value = properties.get(name).get("defaultValue");
    assertThat(value).as("default of " + name).isNotNull();
    return value.asLong();
  }
}
