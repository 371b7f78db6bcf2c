package dev.inferwatch.servlet;

import dev.inferwatch.core.Inferwatch;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;

/**
 * A servlet serving one {@link Inferwatch}: the one given to its constructor, or, when a container
 * instantiates it from {@code web.xml} or the drop-in, the one of its servlet context.
 */
abstract class InferwatchServlet extends KitServlet {

  private static final long serialVersionUID = 1L;

  private transient Inferwatch iw;

  /** {@code iw} may be {@code null}: {@link #init} then takes the servlet context's instance. */
  InferwatchServlet(Inferwatch iw) {
    this.iw = iw;
  }

  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    if (iw == null) {
      iw = ContextInferwatch.of(config.getServletContext());
    }
  }

  /** The instance this servlet serves; set once {@link #init} has run. */
  protected final Inferwatch inferwatch() {
    return iw;
  }
}
