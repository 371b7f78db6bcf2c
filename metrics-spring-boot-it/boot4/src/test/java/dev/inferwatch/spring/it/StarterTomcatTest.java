package dev.inferwatch.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;

/** The starter on Boot's Tomcat (this execution has no Jetty on its classpath). */
@EnabledIf("dev.inferwatch.spring.it.Containers#tomcat")
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // Boot 3's test support turns metrics export (so /actuator/prometheus) off unless asked.
    properties = "spring.test.observability.auto-configure=true")
class StarterTomcatTest extends StarterContract {

  @Test
  void runsOnTheContainerItClaims() throws Exception {
    assertThat(info()).containsIgnoringCase("Apache Tomcat");
  }
}
