package dev.inferwatch.bootdemo;

import dev.inferwatch.testkit.FakeChatModel;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application instrumented by the starter alone: no Inferwatch code here but a chat
 * model bean, which makes the chat endpoint appear.
 *
 * <pre>{@code
 * java -jar examples/spring-boot-demo/target/inferwatch-spring-boot-demo.jar
 * curl -s localhost:8080/products/blue-shirt
 * curl -s localhost:8080/metrics | grep '^http_server_requests_total'
 * }</pre>
 */
@SpringBootApplication
public class BootDemo {

  /** Starts the application on {@code PORT} (default 8080). */
  public static void main(String[] args) {
    SpringApplication.run(BootDemo.class, args);
  }

  /** An OpenAI-compatible model that makes up its answer; swap in a real one. */
  @Bean
  FakeChatModel chatModel() {
    return FakeChatModel.builder()
        .timeToFirstToken(Duration.ofMillis(80))
        .tokenDelay(Duration.ofMillis(15))
        .build();
  }
}
