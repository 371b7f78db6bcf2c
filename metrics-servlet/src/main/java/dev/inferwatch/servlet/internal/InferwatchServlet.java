package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.Inferwatch;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;

/**
 * A servlet serving one {@link Inferwatch}: the one given to its constructor, or, when a container
 * instantiates it from {@code web.xml} or the drop-in, the one of its servlet context.
 */
public abstract class InferwatchServlet extends KitServlet {

  private static final long serialVersionUID = 1L;

  private transient Inferwatch iw;
  private transient boolean started;

  /** {@code iw} may be {@code null}: {@link #init} then takes the servlet context's instance. */
  protected InferwatchServlet(Inferwatch iw) {
    this.iw = iw;
  }

  /**
   * Resolves the instance, then runs {@link #start} once: a container initialises one servlet
   * instance once per registration, so an instance mapped twice would otherwise start twice.
   */
  @Override
  public synchronized void init(ServletConfig config) throws ServletException {
    super.init(config);
    if (iw == null) {
      iw = ContextInferwatch.of(config.getServletContext());
    }
    if (!started) {
      start(config);
      started = true;
    }
  }

  /** Runs {@link #stop} once for the {@link #start} it undoes, however many registrations end. */
  @Override
  public synchronized void destroy() {
    if (started) {
      started = false;
      stop();
    }
  }

  /** Builds what the servlet owns (worker pools, exporters); runs once per start. */
  protected void start(ServletConfig config) throws ServletException {}

  /** Releases what {@link #start} built. */
  protected void stop() {}

  /** The instance this servlet serves; set once {@link #init} has run. */
  protected final Inferwatch inferwatch() {
    return iw;
  }
}
