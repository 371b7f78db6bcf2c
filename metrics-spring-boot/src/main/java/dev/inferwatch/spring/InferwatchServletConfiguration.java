package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.chat.ChatModel;
import dev.inferwatch.servlet.predict.PredictServlet;
import dev.inferwatch.servlet.predict.Predictor;
import dev.inferwatch.servlet.probe.InfoServlet;
import dev.inferwatch.servlet.probe.ProbeServlet;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.servlet.scrape.StatusPageServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The metrics filter and the kit's servlets on Boot's embedded container, each switchable by {@code
 * inferwatch.<part>.enabled} and each replaced by an application bean of the same kind: the filter
 * first of all filters (async, REQUEST dispatch), {@code /metrics}, the probes, {@code /info}, the
 * status page, and chat or predict when the context holds a {@link ChatModel} or one {@link
 * Predictor}. Paths come from {@link ServletPaths}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class InferwatchServletConfiguration {

  @Bean
  @ConditionalOnProperty(name = "inferwatch.filter.enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(
      value = MetricsFilter.class,
      parameterizedContainer = FilterRegistrationBean.class)
  FilterRegistrationBean<MetricsFilter> inferwatchMetricsFilter(
      Inferwatch inferwatch, InferwatchProperties properties, Environment environment) {
    List<String> skipped = SpringPaths.skipped(properties.getFilter(), environment);
    FilterRegistrationBean<MetricsFilter> filter =
        new FilterRegistrationBean<>(new MetricsFilter(inferwatch, skipped));
    filter.setName("inferwatchMetricsFilter");
    filter.setAsyncSupported(true);
    filter.setDispatcherTypes(DispatcherType.REQUEST);
    filter.setOrder(Ordered.HIGHEST_PRECEDENCE);
    filter.addUrlPatterns("/*");
    return filter;
  }

  @Bean
  @ConditionalOnProperty(name = "inferwatch.metrics.enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(
      value = MetricsServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  ServletRegistrationBean<MetricsServlet> inferwatchMetricsServlet(
      Inferwatch inferwatch, InferwatchProperties properties) {
    MetricsServlet servlet =
        new MetricsServlet(inferwatch, SpringPaths.auth(properties.getMetrics()));
    return servlet("inferwatchMetrics", servlet, ServletPaths.METRICS);
  }

  @Bean
  @ConditionalOnProperty(name = "inferwatch.probes.enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(
      value = ProbeServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  ServletRegistrationBean<ProbeServlet> inferwatchProbeServlet(
      Inferwatch inferwatch, Environment environment) {
    return servlet(
        "inferwatchProbes", new ProbeServlet(inferwatch), SpringPaths.probes(environment));
  }

  @Bean
  @ConditionalOnProperty(name = "inferwatch.info.enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(
      value = InfoServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  ServletRegistrationBean<InfoServlet> inferwatchInfoServlet(Inferwatch inferwatch) {
    return servlet("inferwatchInfo", new InfoServlet(inferwatch), List.of(ServletPaths.INFO));
  }

  @Bean
  @ConditionalOnProperty(name = "inferwatch.status.enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(
      value = StatusPageServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  ServletRegistrationBean<StatusPageServlet> inferwatchStatusPageServlet() {
    return servlet(
        "inferwatchStatusPage", new StatusPageServlet(), List.of(ServletPaths.STATUS_PAGE));
  }

  @Bean
  @ConditionalOnBean(ChatModel.class)
  @ConditionalOnProperty(name = "inferwatch.chat.enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(
      value = ChatCompletionsServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  ServletRegistrationBean<ChatCompletionsServlet> inferwatchChatServlet(
      Inferwatch inferwatch, InferwatchProperties properties, ObjectProvider<ChatModel> models) {
    ChatProperties chat = properties.getChat();
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(inferwatch)
            .models(models.orderedStream().toList())
            .timeout(chat.getTimeoutMs())
            .maxRequestBytes(chat.getMaxRequestBytes())
            .shutdownGrace(chat.getShutdownGraceMs())
            .maxConcurrent(chat.getMaxConcurrent())
            .maxQueued(chat.getMaxQueued())
            .bodyTimeout(properties.getBodyTimeoutMs())
            .build();
    return servlet("inferwatchChat", servlet, ServletPaths.CHAT);
  }

  @Bean
  @ConditionalOnSingleCandidate(Predictor.class)
  @ConditionalOnProperty(name = "inferwatch.predict.enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(
      value = PredictServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  ServletRegistrationBean<PredictServlet> inferwatchPredictServlet(
      Inferwatch inferwatch, InferwatchProperties properties, Predictor predictor) {
    PredictProperties predict = properties.getPredict();
    PredictServlet servlet =
        PredictServlet.builder(inferwatch)
            .predictor(predictor)
            .timeout(predict.getTimeoutMs())
            .maxBodyBytes(predict.getMaxBodyBytes())
            .maxConcurrent(predict.getMaxConcurrent())
            .maxQueued(predict.getMaxQueued())
            .bodyTimeout(properties.getBodyTimeoutMs())
            .build();
    return servlet("inferwatchPredict", servlet, ServletPaths.PREDICT);
  }

  /** Started with the container (pools, exporters), async on, under the kit's paths. */
  private static <S extends Servlet> ServletRegistrationBean<S> servlet(
      String name, S servlet, List<String> paths) {
    ServletRegistrationBean<S> registration =
        new ServletRegistrationBean<>(servlet, paths.toArray(new String[0]));
    registration.setName(name);
    registration.setAsyncSupported(true);
    registration.setLoadOnStartup(1);
    return registration;
  }
}
