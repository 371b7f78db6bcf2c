package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The container adapter on Boot's embedded Tomcat or Jetty ({@code inferwatch.container-adapter
 * .enabled}, on by default): durations from the request's arrival, the wait for a thread as queue
 * time, and requests the container refuses before any filter counted as {@code __rejected__}. The
 * condition reads a class name, so an application without Boot's web server support never loads the
 * customizer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.boot.web.server.WebServerFactoryCustomizer")
@ConditionalOnProperty(name = "inferwatch.container-adapter.enabled", matchIfMissing = true)
class ContainerAdapterConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ContainerAdapterCustomizer inferwatchContainerAdapter(
      Inferwatch inferwatch, Environment environment) {
    return new ContainerAdapterCustomizer(
        inferwatch,
        environment.getProperty("server.jetty.threads.max-queue-capacity", Integer.class));
  }
}
