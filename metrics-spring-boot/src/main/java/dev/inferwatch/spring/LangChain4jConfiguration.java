package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.langchain4j.InferwatchChatModelListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The LangChain4j listener as a bean, when {@code inferwatch-langchain4j} is on the classpath:
 * LangChain4j's own Spring Boot starters hand every {@code ChatModelListener} bean to the chat
 * models they create, so those models record with no code. Off with {@code
 * inferwatch.langchain4j.enabled=false}; a listener bean of the application's own replaces it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
    name = {
      "dev.inferwatch.langchain4j.InferwatchChatModelListener",
      "dev.langchain4j.model.chat.listener.ChatModelListener"
    })
@ConditionalOnProperty(name = "inferwatch.langchain4j.enabled", matchIfMissing = true)
class LangChain4jConfiguration {

  @Bean
  @ConditionalOnMissingBean
  InferwatchChatModelListener inferwatchChatModelListener(Inferwatch inferwatch) {
    return InferwatchChatModelListener.of(inferwatch);
  }
}
