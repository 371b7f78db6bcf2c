package dev.inferwatch.spring;

import dev.inferwatch.gpu.GpuModule;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The GPU module, when {@code inferwatch-gpu} is on the classpath, configured by {@code
 * inferwatch.gpu.*}; the {@link dev.inferwatch.core.Inferwatch} bean starts and closes it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "dev.inferwatch.gpu.GpuModule")
class GpuConfiguration {

  // No destroy method: the Inferwatch bean that started the module closes it.
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  GpuModule inferwatchGpuModule(InferwatchProperties properties) {
    InferwatchProperties.Gpu gpu = properties.getGpu();
    GpuModule.Builder builder =
        GpuModule.builder().enabled(gpu.isEnabled()).interval(gpu.getInterval());
    if (properties.getNvmlLibrary() != null) {
      builder.library(properties.getNvmlLibrary());
    }
    return builder.build();
  }
}
