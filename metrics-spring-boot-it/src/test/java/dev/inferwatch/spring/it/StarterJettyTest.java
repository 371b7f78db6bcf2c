package dev.inferwatch.spring.it;

import org.springframework.boot.test.context.SpringBootTest;

/** The starter on Boot's Jetty (this execution has no Tomcat on its classpath). */
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StarterJettyTest extends StarterContract {

  @Override
  String serverInfo() {
    return "jetty";
  }
}
