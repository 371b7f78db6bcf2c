package dev.inferwatch.spring.it;

import dev.inferwatch.testkit.FakeChatModel;
import java.time.Duration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot application that knows nothing of Inferwatch beyond the starter on its classpath and a
 * chat model bean: a controller with a path variable, Actuator, Micrometer's Prometheus registry.
 */
@SpringBootApplication
public class ShopApplication {

  /** The chat endpoint appears because this bean exists. */
  @Bean
  FakeChatModel chatModel() {
    return FakeChatModel.builder()
        .timeToFirstToken(Duration.ofMillis(5))
        .tokenDelay(Duration.ofMillis(1))
        .tokens(4)
        .build();
  }

  /** Products by slug: every slug is one route, {@code /products/{slug}}. */
  @RestController
  static class Products {

    @GetMapping("/products/{slug}")
    String product(@PathVariable("slug") String slug) {
      return "product " + slug;
    }
  }
}
