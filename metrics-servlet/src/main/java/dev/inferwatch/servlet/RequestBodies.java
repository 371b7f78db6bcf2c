package dev.inferwatch.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies without ever holding more than a limit in memory. */
final class RequestBodies {

  private static final int CHUNK = 8192;

  private RequestBodies() {}

  /**
   * The body, or {@code null} when it is over {@code maxBytes}; an oversized body is read and
   * dropped up to {@code drainFactor} times the limit so the client can read the answer.
   */
  static byte[] read(HttpServletRequest request, long maxBytes, int drainFactor)
      throws IOException {
    long declared = request.getContentLengthLong();
    InputStream in = request.getInputStream();
    if (declared > maxBytes) {
      drain(in, maxBytes * drainFactor);
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
        drain(in, maxBytes * drainFactor);
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
