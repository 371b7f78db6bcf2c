package dev.inferwatch.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.servlet.jetty.TimedThreadPool;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;

/** The starter on Boot's Jetty (this execution has no Tomcat on its classpath). */
@EnabledIf("dev.inferwatch.spring.it.Containers#jettyOnly")
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // Boot 3's test support turns metrics export (so /actuator/prometheus) off unless asked.
    properties = {
      "spring.test.observability.auto-configure=true",
      "server.jetty.threads.max=48",
      "server.jetty.threads.min=4"
    })
class StarterJettyTest extends StarterContract {

  @Test
  void runsOnTheContainerItClaims() throws Exception {
    assertThat(info()).containsIgnoringCase("jetty");
  }

  @Test
  void theServerRunsOnATimedPoolWithBootsThreadSettings() throws Exception {
    Server server = (Server) invoke(invoke(context, "getWebServer"), "getServer");

    assertThat(server.getThreadPool()).isInstanceOf(TimedThreadPool.class);
    assertThat(((TimedThreadPool) server.getThreadPool()).getMaxThreads()).isEqualTo(48);
    assertThat(((TimedThreadPool) server.getThreadPool()).getMinThreads()).isEqualTo(4);
  }

  /** Boot 3 and 4 name the web server's classes differently; their methods are the same. */
  private static Object invoke(Object target, String method) throws Exception {
    return target.getClass().getMethod(method).invoke(target);
  }
}
