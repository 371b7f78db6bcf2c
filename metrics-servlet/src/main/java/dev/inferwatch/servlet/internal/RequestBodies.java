package dev.inferwatch.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * How the chat and predict servlets take a request body: the one content-type check and the one
 * bounded reader, which never holds more than the limit in memory.
 */
public final class RequestBodies {

  /**
   * Bodies over the limit are read and dropped up to this many times the limit, so the client gets
   * its 413 instead of a connection reset; past that the connection is given up.
   */
  public static final int DRAIN_FACTOR = 4;

  private static final int CHUNK = 8192;

  private RequestBodies() {}

  /** Whether {@code contentType} is {@code application/json} or {@code application/*+json}. */
  public static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }

  /**
   * The body, or {@code null} when it is over {@code maxBytes}; the rest of an oversized body is
   * drained up to {@link #DRAIN_FACTOR} times the limit.
   */
  public static byte[] read(HttpServletRequest request, long maxBytes) throws IOException {
    long declared = request.getContentLengthLong();
    InputStream in = request.getInputStream();
    if (declared > maxBytes) {
      drain(in, maxBytes * DRAIN_FACTOR);
      return null;
    }
    int initial = (int) Math.min(declared > 0 ? declared : CHUNK, maxBytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream(initial);
    byte[] chunk = new byte[CHUNK];
    long total = 0;
    int n;
    while ((n = in.read(chunk)) != -1) {
      total += n;
      if (total > maxBytes) {
        drain(in, maxBytes * DRAIN_FACTOR);
        return null;
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  private static void drain(InputStream in, long budget) throws IOException {
    byte[] chunk = new byte[CHUNK];
    long left = budget;
    int n;
    while (left > 0 && (n = in.read(chunk)) != -1) {
      left -= n;
    }
  }
}
