package dev.inferwatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad setting stops start-up with one line: the variable, the value, what is allowed. */
class SettingsTest {

  private static Inferwatch build(Map<String, String> environment) {
    return Inferwatch.builder()
        .registry(new PrometheusRegistry())
        .jvmMetrics(false)
        .discoverModules(false)
        .settings(Settings.of(environment, key -> null))
        .build();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MAX_ROUTES      | abc     | INFERWATCH_MAX_ROUTES=abc: not an integer between 1 and 100000",
        "MAX_ROUTES      | 0       | INFERWATCH_MAX_ROUTES=0: not an integer between 1 and 100000",
        "MAX_ROUTES      | 1e3     | INFERWATCH_MAX_ROUTES=1e3: not an integer between 1 and 100000",
        "ROUTE_FANOUT    | -1      | INFERWATCH_ROUTE_FANOUT=-1: not an integer between 1 and 10000",
        "METRICS_PORT    | 70000   | INFERWATCH_METRICS_PORT=70000: not an integer between 0 and 65535",
        "METRICS_PORT    | http    | INFERWATCH_METRICS_PORT=http: not an integer between 0 and 65535",
        "EVENTS_CAPACITY | 0       | INFERWATCH_EVENTS_CAPACITY=0: not an integer between 1 and 1000000",
        "NAMESPACE       | 1abc    | INFERWATCH_NAMESPACE=1abc: not a metric-name prefix (letters,"
            + " digits and '_', not starting with a digit)",
        "METRICS_HOST    | a b     | INFERWATCH_METRICS_HOST=a b: not a host name or IP address",
        "ENABLED         | maybe   | INFERWATCH_ENABLED=maybe: not true or false",
      })
  void refusesABadValueWithOneLineNamingItAndWhatIsAllowed(String key, String value, String line) {
    assertThatThrownBy(
            () -> {
              Settings settings = Settings.of(Map.of("INFERWATCH_" + key, value), k -> null);
              settings.getBoolean("ENABLED", true);
              build(Map.of("INFERWATCH_" + key, value)).close();
            })
        .isInstanceOf(SettingsException.class)
        .hasMessage(line)
        .hasNoCause();
  }

  @Test
  void namesTheSystemPropertyWhenTheValueCameFromThere() {
    Settings settings =
        Settings.of(
            Map.of("INFERWATCH_MAX_ROUTES", "10"),
            key -> key.equals("inferwatch.max_routes") ? "lots" : null);
    assertThatThrownBy(() -> settings.getInt("MAX_ROUTES", 200, 1, 100_000))
        .hasMessage("inferwatch.max_routes=lots: not an integer between 1 and 100000");
  }

  @Test
  void neverRepeatsASecretInTheMessage() {
    SettingsException e =
        new SettingsException("INFERWATCH_METRICS_TOKEN", "hunter2", "not a token");
    assertThat(e.getMessage()).isEqualTo("INFERWATCH_METRICS_TOKEN=(hidden): not a token");
    assertThat(e.value()).isEqualTo("hunter2");
  }

  @Test
  void theSameParserServesAHostsOwnVariables() {
    Settings demo = Settings.unprefixed(Map.of("PORT", "eighty"));
    assertThatThrownBy(() -> demo.getInt("PORT", 8080, 0, 65_535))
        .hasMessage("PORT=eighty: not an integer between 0 and 65535");
    assertThat(demo.getInt("MISSING", 7, 0, 10)).isEqualTo(7);
  }

  @Test
  void goodValuesApply() {
    try (Inferwatch iw =
        build(
            Map.of(
                "INFERWATCH_MAX_ROUTES", "7",
                "INFERWATCH_ROUTE_FANOUT", "3",
                "INFERWATCH_SERVICE", "shop"))) {
      assertThat(iw.routes().maxRoutes()).isEqualTo(7);
      assertThat(iw.routes().fanout()).isEqualTo(3);
      assertThat(iw.service()).isEqualTo("shop");
    }
  }
}
