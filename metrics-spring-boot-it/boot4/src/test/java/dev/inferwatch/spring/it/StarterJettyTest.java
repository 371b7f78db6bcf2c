package dev.inferwatch.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;

/** The starter on Boot's Jetty (this execution has no Tomcat on its classpath). */
@EnabledIf("dev.inferwatch.spring.it.Containers#jettyOnly")
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // Boot 3's test support turns metrics export (so /actuator/prometheus) off unless asked.
    properties = "spring.test.observability.auto-configure=true")
class StarterJettyTest extends StarterContract {

  @Test
  void runsOnTheContainerItClaims() throws Exception {
    assertThat(info()).containsIgnoringCase("jetty");
  }
}
