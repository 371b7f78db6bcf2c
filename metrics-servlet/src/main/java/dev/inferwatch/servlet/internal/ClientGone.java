package dev.inferwatch.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * How the kit tells a client that went away from a server failure: the containers' abort
 * exceptions, and a request attribute a streaming servlet sets when its write fails.
 */
public final class ClientGone {

  /**
   * The status recorded for a request whose client went away before it could be answered (nginx's
   * "client closed request"): a 4xx, so a client's abort never reads as a server error.
   */
  public static final int STATUS = 499;

  /** The attribute a servlet sets to {@link Boolean#TRUE} when it saw its client go away. */
  public static final String ATTRIBUTE = "dev.inferwatch.clientGone";

  private ClientGone() {}

  /** Flags {@code request} as abandoned by its client; never throws. */
  public static void mark(HttpServletRequest request) {
    try {
      request.setAttribute(ATTRIBUTE, Boolean.TRUE);
    } catch (RuntimeException e) {
      // A recycled request (the container ended the exchange first): nothing left to flag.
    }
  }

  /** Whether {@code request} was flagged through {@link #mark}. */
  public static boolean isFlagged(HttpServletRequest request) {
    try {
      return Boolean.TRUE.equals(request.getAttribute(ATTRIBUTE));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Tomcat's ClientAbortException, Jetty's EofException, and broken-pipe resets. */
  public static boolean isAbort(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      if (name.equals("ClientAbortException")
          || name.equals("EofException")
          || name.equals("ClosedChannelException")) {
        return true;
      }
      if (t instanceof IOException && t.getMessage() != null) {
        String message = t.getMessage();
        if (message.contains("Broken pipe") || message.contains("Connection reset")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
