package dev.inferwatch.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request written byte for byte over a socket, for request lines {@code java.net.http}
 * refuses to send (a bad percent-encoding, raw control bytes): what a scanner sends, and what a
 * container refuses before any filter sees it.
 *
 * <pre>{@code
 * assertThat(RawHttp.get(port, "/%zz")).isEqualTo(400);
 * }</pre>
 */
public final class RawHttp {

  private RawHttp() {}

  /** {@code GET rawPath} to 127.0.0.1:{@code port}; the response's status, or -1 when none. */
  public static int get(int port, String rawPath) throws IOException {
    return status(port, ("GET " + rawPath + " HTTP/1.1").getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Sends {@code requestLine} (without its line end) with a {@code Host} header and {@code
   * Connection: close}, reads the response to its end (10 s at most between bytes) and returns its
   * status, or -1 when the server answered no HTTP/1.1 status line.
   */
  public static int status(int port, byte[] requestLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(requestLine);
      out.write(
          "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return head.startsWith("HTTP/1.1 ") && head.length() >= 12
          ? Integer.parseInt(head.substring(9, 12))
          : -1;
    }
  }
}
