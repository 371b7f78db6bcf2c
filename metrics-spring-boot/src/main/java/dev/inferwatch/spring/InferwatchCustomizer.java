package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;

/**
 * Adjusts the auto-configured {@link Inferwatch} before it is built, after the {@code inferwatch.*}
 * properties: route templates, modules, anything the builder offers. Every such bean is applied, in
 * {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * InferwatchCustomizer assets() {
 *   return builder -> builder.routes(r -> r.prefix("/assets"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface InferwatchCustomizer {

  /** Changes {@code builder} in place. */
  void customize(Inferwatch.Builder builder);
}
