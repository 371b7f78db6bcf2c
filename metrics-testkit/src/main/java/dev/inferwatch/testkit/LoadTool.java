package dev.inferwatch.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A closed-loop HTTP/1.1 load tool in the test's JVM, like {@code wrk}: a fixed number of
 * keep-alive connections, each sending its next GET as soon as the last response ended, all driven
 * by one selector thread so the tool adds as little scheduling of its own as it can. It measures
 * its own latencies (request written to response read) and keeps every one of them. The first
 * requests are spread over the warm-up, which is not recorded.
 *
 * <pre>{@code
 * LoadTool.Result r = LoadTool.run(app.uri("/hello"), 256, Duration.ofMillis(500), Duration.ofSeconds(3));
 * double p50 = r.quantileSeconds(0.5);
 * }</pre>
 */
public final class LoadTool {

  private static final int MAX_SAMPLES = 4_000_000;

  private LoadTool() {}

  /**
   * Drives {@code target} with {@code connections} connections: {@code warmUp} unrecorded, then
   * {@code measure} recorded. Every connection is opened before the clock starts.
   */
  public static Result run(URI target, int connections, Duration warmUp, Duration measure)
      throws IOException {
    String path =
        target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    byte[] request =
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + target.getHost()
                + ":"
                + target.getPort()
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress address = new InetSocketAddress(target.getHost(), target.getPort());
    Result result = new Result();
    try (Selector selector = Selector.open()) {
      Connection[] all = new Connection[connections];
      for (int i = 0; i < connections; i++) {
        all[i] = new Connection(address, request);
        all[i].open(selector);
      }
      long begin = System.nanoTime();
      long recordFrom = begin + warmUp.toNanos();
      long end = recordFrom + measure.toNanos();
      // Spread the first requests over the warm-up (at most 1 s), so that a fixed-delay endpoint
      // does not answer every connection in one burst, round after round.
      long spread = Math.min(warmUp.toNanos(), 1_000_000_000L) / connections;
      for (Connection c : all) {
        c.send(System.nanoTime());
        if (spread > 0) {
          LockSupport.parkNanos(spread);
        }
      }
      int open = connections;
      while (open > 0) {
        if (System.nanoTime() - end > 10_000_000_000L) {
          throw new IOException(open + " connections did not answer within 10 s of the end");
        }
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Connection c = (Connection) key.attachment();
          int status = c.read();
          if (status == Connection.CLOSED) {
            throw new IOException("the server closed a connection mid-response");
          }
          if (status == Connection.PARTIAL) {
            continue;
          }
          long now = System.nanoTime();
          if (c.sentAt - recordFrom >= 0 && now - end <= 0) {
            result.add(now - c.sentAt, status);
          }
          if (c.closing || now - end >= 0) {
            // Tomcat closes a keep-alive connection after 100 requests (maxKeepAliveRequests).
            key.cancel();
            c.channel.close();
          }
          if (now - end < 0) {
            if (c.closing) {
              c.open(selector);
            }
            c.send(System.nanoTime());
          } else {
            open--;
          }
        }
        selector.selectedKeys().clear();
      }
      result.seconds = measure.toNanos() / 1e9;
    }
    return result;
  }

  /** What the tool saw in the recorded window. */
  public static final class Result {
    private long[] latencies = new long[1 << 16];
    private int count;
    private long errors;
    private double seconds;

    private Result() {}

    void add(long nanos, int status) {
      if (status >= 400) {
        errors++;
      }
      if (count == latencies.length && count < MAX_SAMPLES) {
        latencies = Arrays.copyOf(latencies, Math.min(count * 2, MAX_SAMPLES));
      }
      if (count < latencies.length) {
        latencies[count++] = nanos;
      }
    }

    /** Responses recorded. */
    public int requests() {
      return count;
    }

    /** Responses with a status of 400 or more. */
    public long errors() {
      return errors;
    }

    /** Responses per second over the recorded window. */
    public double requestsPerSecond() {
      return count / seconds;
    }

    /** Mean latency in seconds. */
    public double meanSeconds() {
      long sum = 0;
      for (int i = 0; i < count; i++) {
        sum += latencies[i];
      }
      return count == 0 ? Double.NaN : sum / 1e9 / count;
    }

    /** The exact {@code q}-quantile (nearest rank) of the recorded latencies, in seconds. */
    public double quantileSeconds(double q) {
      if (count == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(latencies, count);
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(q * count);
      return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e9;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d requests (%.0f/s), %d errors, mean %.3f ms, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms",
          count,
          requestsPerSecond(),
          errors,
          meanSeconds() * 1e3,
          quantileSeconds(0.5) * 1e3,
          quantileSeconds(0.9) * 1e3,
          quantileSeconds(0.99) * 1e3);
    }
  }

  /** One keep-alive connection and the response it is reading. */
  private static final class Connection {
    static final int PARTIAL = -1;
    static final int CLOSED = -2;

    final InetSocketAddress address;
    final ByteBuffer request;
    final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    SocketChannel channel;
    long sentAt;
    boolean closing;

    Connection(InetSocketAddress address, byte[] request) {
      this.address = address;
      this.request = ByteBuffer.wrap(request);
    }

    void open(Selector selector) throws IOException {
      channel = SocketChannel.open(address);
      channel.socket().setTcpNoDelay(true);
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, this);
      closing = false;
      in.clear();
    }

    void send(long now) throws IOException {
      sentAt = now;
      request.rewind();
      while (request.hasRemaining()) {
        channel.write(request);
      }
    }

    /** Reads what arrived: the status once a whole response is in, else PARTIAL or CLOSED. */
    int read() throws IOException {
      if (channel.read(in) < 0) {
        return CLOSED;
      }
      int status = complete(in.array(), in.position());
      if (status != PARTIAL) {
        in.clear();
      }
      return status;
    }

    /** The status when {@code length} bytes hold one whole response (pipelining is not used). */
    private int complete(byte[] b, int length) {
      int headEnd = indexOf(b, length, 0);
      if (headEnd < 0) {
        return PARTIAL;
      }
      String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      String lower = head.toLowerCase(Locale.ROOT);
      closing = lower.contains("\nconnection: close");
      int bodyStart = headEnd + 4;
      int cl = lower.indexOf("\ncontent-length:");
      if (cl >= 0) {
        int eol = lower.indexOf('\r', cl + 1);
        long bodyLength =
            Long.parseLong(lower.substring(cl + 16, eol < 0 ? lower.length() : eol).trim());
        return length - bodyStart >= bodyLength ? status : PARTIAL;
      }
      if (lower.contains("\ntransfer-encoding: chunked")) {
        return endsWith(b, length, "0\r\n\r\n") ? status : PARTIAL;
      }
      return status;
    }

    private static int indexOf(byte[] b, int length, int from) {
      for (int i = from; i + 3 < length; i++) {
        if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }

    private static boolean endsWith(byte[] b, int length, String suffix) {
      int n = suffix.length();
      if (length < n) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (b[length - n + i] != suffix.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
