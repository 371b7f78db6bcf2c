package dev.inferwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferwatch.langchain4j.InferwatchChatModelListener;
import dev.inferwatch.testkit.Scrape;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The LangChain4j listener bean that LangChain4j's Boot starters attach to their models. */
class LangChain4jConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(InferwatchAutoConfiguration.class))
          .withBean(PrometheusRegistry.class, PrometheusRegistry::new)
          .withPropertyValues("inferwatch.discover-modules=false", "inferwatch.jvm-metrics=false");

  @Test
  void aModelBuiltWithTheContextsListenersRecordsIntoTheKit() {
    runner
        .withUserConfiguration(StarterLikeModel.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(InferwatchChatModelListener.class);
              context
                  .getBean(ChatModel.class)
                  .chat(
                      ChatRequest.builder()
                          .modelName("gpt-4o")
                          .messages(UserMessage.from("hi"))
                          .build());

              Scrape scrape = Scrape.of(context.getBean(PrometheusRegistry.class));
              assertThat(
                      scrape.value(
                          "gen_ai_client_operation_duration_seconds_count",
                          "provider",
                          "openai",
                          "model",
                          "gpt-4o"))
                  .isEqualTo(1);
              assertThat(scrape.value("gen_ai_client_token_usage_sum", "token_type", "output"))
                  .isEqualTo(5);
            });
  }

  @Test
  void noListenerWithoutTheModuleOrLangChain4j() {
    runner
        .withClassLoader(new FilteredClassLoader(InferwatchChatModelListener.class))
        .run(context -> assertThat(context).doesNotHaveBean(ChatModelListener.class));
    runner
        .withClassLoader(new FilteredClassLoader(ChatModelListener.class))
        .run(context -> assertThat(context).doesNotHaveBean("inferwatchChatModelListener"));
  }

  @Test
  void offWithTheProperty() {
    runner
        .withPropertyValues("inferwatch.langchain4j.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ChatModelListener.class));
  }

  @Test
  void theApplicationsOwnListenerWins() {
    runner
        .withUserConfiguration(OwnListener.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(InferwatchChatModelListener.class);
              assertThat(context).doesNotHaveBean("inferwatchChatModelListener");
              assertThat(context).hasBean("myListener");
            });
  }

  /** What langchain4j-open-ai-spring-boot-starter does: every listener bean to the model. */
  @Configuration(proxyBeanMethods = false)
  static class StarterLikeModel {

    @Bean
    ChatModel openAiChatModel(ObjectProvider<ChatModelListener> listeners) {
      List<ChatModelListener> attached = listeners.orderedStream().toList();
      return new ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
          return ChatResponse.builder()
              .aiMessage(AiMessage.from("hello"))
              .modelName(request.modelName())
              .tokenUsage(new TokenUsage(3, 5))
              .build();
        }

        @Override
        public List<ChatModelListener> listeners() {
          return attached;
        }

        @Override
        public ModelProvider provider() {
          return ModelProvider.OPEN_AI;
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnListener {

    @Bean
    InferwatchChatModelListener myListener(dev.inferwatch.core.Inferwatch inferwatch) {
      return InferwatchChatModelListener.builder(inferwatch).build();
    }
  }
}
