package dev.inferwatch.demo;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.servlet.predict.PredictServlet;
import dev.inferwatch.servlet.probe.InfoServlet;
import dev.inferwatch.servlet.probe.ProbeServlet;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** The demo's probes, {@code /info} and {@code /predict} over the fake sentiment model. */
final class DemoProbes {

  private DemoProbes() {}

  static void register(ServletContextHandler context, Inferwatch iw) {
    iw.health().diskSpace(Path.of("."), 100L * 1024 * 1024).heapPressure(0.95);
    ServletHolder probes = new ServletHolder(new ProbeServlet(iw));
    for (String path : ServletPaths.PROBES) {
      context.getServletHandler().addServletWithMapping(probes, path);
    }
    context.getServletHandler().addServletWithMapping(probes, ServletPaths.PROBE_ROOT);
    context.addServlet(new ServletHolder(new InfoServlet(iw)), ServletPaths.INFO);
    PredictServlet predict =
        PredictServlet.builder(iw)
            .predictor(DemoModel.start(iw))
            .timeout(
                Duration.ofMillis(DemoServer.number("DEMO_PREDICT_TIMEOUT_MS", 2000, 1, 600_000)))
            .build();
    ServletHolder holder = new ServletHolder(predict);
    holder.setAsyncSupported(true);
    for (String path : ServletPaths.PREDICT) {
      context.getServletHandler().addServletWithMapping(holder, path);
    }
  }
}
