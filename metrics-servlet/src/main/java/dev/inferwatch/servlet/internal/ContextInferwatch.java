package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import jakarta.servlet.ServletContext;
import java.util.Locale;

/**
 * The {@link Inferwatch} of one web application, kept as a servlet-context attribute so that the
 * filter and servlets declared without code (web.xml, the drop-in) share one instance.
 */
public final class ContextInferwatch {

  /** The context attribute that holds the shared instance; a host may set it before start-up. */
  public static final String ATTRIBUTE = Inferwatch.class.getName();

  private ContextInferwatch() {}

  /** The context's instance, built from context parameters and the environment on first use. */
  public static Inferwatch of(ServletContext context) {
    synchronized (context) {
      if (context.getAttribute(ATTRIBUTE) instanceof Inferwatch existing) {
        return existing;
      }
      Inferwatch iw = Inferwatch.builder().settings(settings(context)).build();
      context.setAttribute(ATTRIBUTE, iw);
      return iw;
    }
  }

  /**
   * Context parameters over the environment: key {@code METRICS_ENABLED} is read from {@code
   * inferwatch.metrics.enabled} or {@code inferwatch.metrics_enabled}.
   */
  public static Settings settings(ServletContext context) {
    return Settings.fromEnvironment()
        .overriddenBy(
            key -> {
              String lower = key.toLowerCase(Locale.ROOT);
              String dotted = context.getInitParameter("inferwatch." + lower.replace('_', '.'));
              return dotted != null ? dotted : context.getInitParameter("inferwatch." + lower);
            });
  }
}
