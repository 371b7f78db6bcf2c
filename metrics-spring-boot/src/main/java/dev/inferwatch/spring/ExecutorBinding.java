package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Reports the application's {@link ThreadPoolTaskExecutor} beans (Boot's {@code
 * applicationTaskExecutor} among them) in the kit's {@code executor_*} families, labelled {@code
 * pool} by bean name, once every singleton exists. Used where the kit shares Micrometer's registry,
 * whose own executor meters it then holds back.
 */
final class ExecutorBinding implements SmartInitializingSingleton {

  private final Inferwatch inferwatch;
  private final ListableBeanFactory beans;

  ExecutorBinding(Inferwatch inferwatch, ListableBeanFactory beans) {
    this.inferwatch = inferwatch;
    this.beans = beans;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Map<String, ThreadPoolTaskExecutor> executors =
        beans.getBeansOfType(ThreadPoolTaskExecutor.class, false, false);
    executors.forEach(
        (name, executor) -> {
          try {
            inferwatch.executors().monitor(name, executor.getThreadPoolExecutor());
          } catch (IllegalStateException notInitialized) {
            // Not started (lazy and never used): nothing to report.
          }
        });
  }
}
