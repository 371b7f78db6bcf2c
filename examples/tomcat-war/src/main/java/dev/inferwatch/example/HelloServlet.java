package dev.inferwatch.example;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The application's only code: it knows nothing of Inferwatch (one exact mapping among its paths).
 */
@WebServlet({"/hello/*", "/reports/2025"})
public class HelloServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain");
    resp.getWriter().write("hello " + (req.getPathInfo() == null ? "world" : req.getPathInfo()));
  }
}
