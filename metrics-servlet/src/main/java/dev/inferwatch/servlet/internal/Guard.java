package dev.inferwatch.servlet.internal;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.internal.auth.Access;
import dev.inferwatch.core.internal.auth.Credentials;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The servlet side of {@link Credentials}: reads the {@code Authorization} header, lets the request
 * through or answers 401 JSON with a {@code WWW-Authenticate} challenge per accepted scheme. The
 * check itself lives once, in core.
 *
 * <pre>{@code
 * if (!Guard.admit(access.metrics(), request, response)) {
 *   return; // 401 written
 * }
 * }</pre>
 */
public final class Guard {

  private Guard() {}

  /**
   * Who may do what for servlets serving {@code iw}: the instance's own credentials when it has
   * any, else those of the context's settings ({@code INFERWATCH_METRICS_TOKEN} and the like, or
   * context parameters), so an instance built in code still honours the environment.
   */
  public static Access access(Inferwatch iw, ServletContext context) {
    Access access = iw.access();
    if (access != Access.open()) {
      return access;
    }
    return Access.fromSettings(ContextInferwatch.settings(context));
  }

  /**
   * Lets the request through (true), or answers 401 with the challenges and returns false.
   *
   * @throws IOException when the refusal cannot be written
   */
  public static boolean admit(
      Credentials credentials, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (credentials.admits(request.getHeader("Authorization"))) {
      return true;
    }
    for (String challenge : credentials.challenges()) {
      response.addHeader("WWW-Authenticate", challenge);
    }
    JsonBody.error(response, 401, "unauthorized", "this endpoint needs credentials");
    return false;
  }
}
