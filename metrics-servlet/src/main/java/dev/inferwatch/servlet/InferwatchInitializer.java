package dev.inferwatch.servlet;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.core.SettingsException;
import dev.inferwatch.core.internal.DaemonThreads;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.internal.ContextInferwatch;
import dev.inferwatch.servlet.predict.Predictor;
import dev.inferwatch.servlet.probe.InfoServlet;
import dev.inferwatch.servlet.probe.ProbeServlet;
import dev.inferwatch.servlet.scrape.MetricsServlet;
import dev.inferwatch.servlet.scrape.StatusPageServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.net.MalformedURLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-code drop-in: with the jar in {@code WEB-INF/lib}, the container calls this at start-up
 * and the web application gets the metrics filter and the kit's endpoints, without a line of code.
 *
 * <p>Paths the application already maps are left alone. Everything is switchable through context
 * parameters or {@code INFERWATCH_*} settings: {@code inferwatch.enabled=false} turns the whole
 * drop-in off, {@code inferwatch.filter.enabled}, {@code inferwatch.metrics.enabled}, {@code
 * inferwatch.chat.enabled}, {@code inferwatch.probes.enabled}, {@code inferwatch.info.enabled} and
 * {@code inferwatch.status.enabled} one part each. The legacy {@code /} probe is added only where
 * the application serves nothing at its root. {@code /predict} is not part of the drop-in: it needs
 * a {@link Predictor}, which only code can supply. When the context is destroyed the shared {@link
 * Inferwatch} is closed and every thread the kit's libraries started from the application's class
 * loader is stopped, so a redeploy leaks nothing. A bad {@code INFERWATCH_*} setting keeps the
 * drop-in out with one error line naming the setting, the value and what is allowed.
 */
public final class InferwatchInitializer implements ServletContainerInitializer {

  private static final Logger log = LoggerFactory.getLogger(InferwatchInitializer.class);

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    try {
      Settings settings = ContextInferwatch.settings(context);
      if (!settings.getBoolean("ENABLED", true)) {
        log.info("Inferwatch drop-in disabled for {}", name(context));
        return;
      }
      Inferwatch iw = ContextInferwatch.of(context);
      List<String> registered = new ArrayList<>();
      if (settings.getBoolean("FILTER_ENABLED", true)) {
        FilterRegistration.Dynamic filter =
            context.addFilter("inferwatch-metrics-filter", new MetricsFilter(iw));
        if (filter != null) {
          filter.setAsyncSupported(true);
          filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
          registered.add("filter /*");
        }
      }
      Set<String> taken = mappedPaths(context);
      for (Endpoint endpoint : endpoints()) {
        if (settings.getBoolean(endpoint.switchKey, true)) {
          register(context, endpoint, taken, registered);
        }
      }
      context.addListener(new Shutdown(iw));
      log.info("Inferwatch drop-in active for {}: {}", name(context), registered);
    } catch (SettingsException e) {
      // An operator's mistake: one line naming the setting, and the kit stays out of the way.
      log.error("Inferwatch drop-in not started for {}: {}", name(context), e.getMessage());
    } catch (RuntimeException e) {
      // A broken drop-in must never stop the host application from starting.
      log.warn("Inferwatch drop-in could not start for {}: {}", name(context), e.toString(), e);
    }
  }

  /** The servlets the drop-in offers, with their switch and paths. */
  private static List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    endpoints.add(
        new Endpoint("metrics", "METRICS_ENABLED", MetricsServlet::new, ServletPaths.METRICS));
    endpoints.add(new Endpoint("probes", "PROBES_ENABLED", ProbeServlet::new, ServletPaths.PROBES));
    endpoints.add(
        new Endpoint(
            "probes-root", "PROBES_ENABLED", ProbeServlet::new, List.of(ServletPaths.PROBE_ROOT)));
    endpoints.add(
        new Endpoint("info", "INFO_ENABLED", InfoServlet::new, List.of(ServletPaths.INFO)));
    endpoints.add(
        new Endpoint("chat", "CHAT_ENABLED", ChatCompletionsServlet::new, ServletPaths.CHAT));
    endpoints.add(
        new Endpoint(
            "status", "STATUS_ENABLED", StatusPageServlet::new, List.of(ServletPaths.STATUS_PAGE)));
    return endpoints;
  }

  private static void register(
      ServletContext context, Endpoint endpoint, Set<String> taken, List<String> registered) {
    List<String> free = new ArrayList<>();
    for (String path : endpoint.paths) {
      if (ServletPaths.PROBE_ROOT.equals(path) && !rootIsFree(context, taken)) {
        continue;
      }
      if (!taken.contains(path)) {
        free.add(path);
      }
    }
    if (free.isEmpty()) {
      return;
    }
    ServletRegistration.Dynamic servlet =
        context.addServlet("inferwatch-" + endpoint.name, endpoint.servlet.get());
    if (servlet == null) {
      return;
    }
    servlet.setAsyncSupported(true);
    Set<String> conflicts = servlet.addMapping(free.toArray(new String[0]));
    free.removeAll(conflicts);
    taken.addAll(free);
    registered.add(endpoint.name + " " + free);
  }

  /**
   * The legacy {@code /} probe only where nothing of the application answers the root: no exact
   * root mapping, no {@code /} servlet but the container's default, no welcome file.
   */
  private static boolean rootIsFree(ServletContext context, Set<String> taken) {
    if (taken.contains(ServletPaths.PROBE_ROOT)) {
      return false;
    }
    for (Map.Entry<String, ? extends ServletRegistration> e :
        context.getServletRegistrations().entrySet()) {
      if (e.getValue().getMappings().contains("/") && !"default".equals(e.getKey())) {
        return false;
      }
    }
    for (String welcome : new String[] {"/index.html", "/index.htm", "/index.jsp"}) {
      try {
        if (context.getResource(welcome) != null) {
          return false;
        }
      } catch (MalformedURLException e) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> mappedPaths(ServletContext context) {
    Set<String> paths = new HashSet<>();
    for (ServletRegistration registration : context.getServletRegistrations().values()) {
      paths.addAll(registration.getMappings());
    }
    return paths;
  }

  private static String name(ServletContext context) {
    String path = context.getContextPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /** One switchable group of paths served by one servlet. */
  private static final class Endpoint {
    final String name;
    final String switchKey;
    final Supplier<Servlet> servlet;
    final List<String> paths;

    Endpoint(String name, String switchKey, Supplier<Servlet> servlet, List<String> paths) {
      this.name = name;
      this.switchKey = switchKey.toUpperCase(Locale.ROOT);
      this.servlet = servlet;
      this.paths = paths;
    }
  }

  /** Marks the application started; on stop turns readiness down, then closes the instance. */
  private static final class Shutdown implements ServletContextListener {
    private final Inferwatch iw;

    Shutdown(Inferwatch iw) {
      this.iw = iw;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
      // Listeners run once every initializer is done: the application has started.
      iw.health().markStarted();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
      // Readiness turns 503 before anything stops, so load balancers drain first.
      iw.health().beginShutdown();
      iw.close();
      // Libraries in WEB-INF/lib may have started threads of their own; they would pin this
      // application's class loader after an undeploy.
      DaemonThreads.stopLibraryThreads(event.getServletContext().getClassLoader());
    }
  }
}
