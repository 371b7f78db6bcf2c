package dev.inferwatch.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.servlet.tomcat.TimedThreadExecutor;
import java.util.concurrent.Executor;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;

/** The starter on Boot's Tomcat (this execution has no Jetty on its classpath). */
@EnabledIf("dev.inferwatch.spring.it.Containers#tomcat")
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // Boot 3's test support turns metrics export (so /actuator/prometheus) off unless asked.
    properties = {
      "spring.test.observability.auto-configure=true",
      "server.tomcat.threads.max=48",
      "server.tomcat.threads.min-spare=4"
    })
class StarterTomcatTest extends StarterContract {

  @Test
  void runsOnTheContainerItClaims() throws Exception {
    assertThat(info()).containsIgnoringCase("Apache Tomcat");
  }

  @Test
  void theConnectorRunsOnATimedExecutorWithBootsThreadSettings() throws Exception {
    Tomcat tomcat = (Tomcat) invoke(invoke(context, "getWebServer"), "getTomcat");
    Executor executor = tomcat.getConnector().getProtocolHandler().getExecutor();

    assertThat(executor).isInstanceOf(TimedThreadExecutor.class);
    assertThat(((TimedThreadExecutor) executor).getMaxThreads()).isEqualTo(48);
    assertThat(((TimedThreadExecutor) executor).getMinSpareThreads()).isEqualTo(4);
  }

  /** Boot 3 and 4 name the web server's classes differently; their methods are the same. */
  private static Object invoke(Object target, String method) throws Exception {
    return target.getClass().getMethod(method).invoke(target);
  }
}
