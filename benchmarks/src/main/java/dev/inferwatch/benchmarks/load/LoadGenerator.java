package dev.inferwatch.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP/1.1 load generator over loopback: each connection sends one request, reads the
 * whole response, and sends the next, recording latency per request and, for chunked responses such
 * as SSE streams, the gap between chunks.
 *
 * <pre>{@code
 * LoadGenerator.Result r = LoadGenerator.get(port, "/hello", 4).run(3_000);
 * double rps = r.requestsPerSecond();
 * }</pre>
 */
public final class LoadGenerator {

  private final int port;
  private final Supplier<byte[]> requests;
  private final int connections;

  private LoadGenerator(int port, Supplier<byte[]> requests, int connections) {
    this.port = port;
    this.requests = requests;
    this.connections = connections;
  }

  /** {@code GET path} on every connection. */
  public static LoadGenerator get(int port, String path, int connections) {
    byte[] request = request(port, "GET", path, null);
    return new LoadGenerator(port, () -> request, connections);
  }

  /** {@code GET} of a new path from {@code paths} for every request (thread-safe supplier). */
  public static LoadGenerator get(int port, Supplier<String> paths, int connections) {
    return new LoadGenerator(port, () -> request(port, "GET", paths.get(), null), connections);
  }

  /** {@code POST path} with a JSON {@code body} on every connection. */
  public static LoadGenerator postJson(int port, String path, String body, int connections) {
    byte[] request = request(port, "POST", path, body);
    return new LoadGenerator(port, () -> request, connections);
  }

  private static byte[] request(int port, String method, String path, String body) {
    StringBuilder head =
        new StringBuilder(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
            .append(port)
            .append("\r\nAccept: */*\r\n");
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(payload.length)
          .append("\r\n");
    }
    byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[start.length + payload.length];
    System.arraycopy(start, 0, out, 0, start.length);
    System.arraycopy(payload, 0, out, start.length, payload.length);
    return out;
  }

  /** Drives the server for {@code millis} with every connection and returns what they saw. */
  public Result run(long millis) throws InterruptedException {
    return run(millis, Long.MAX_VALUE);
  }

  /** The same, stopping early once {@code maxRequests} requests were sent in all. */
  public Result run(long millis, long maxRequests) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    AtomicLong budget = new AtomicLong(maxRequests);
    List<Worker> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      Worker worker = new Worker(deadline, budget);
      workers.add(worker);
      worker.start();
    }
    Result total = new Result();
    for (Worker worker : workers) {
      worker.join();
      if (worker.failure != null) {
        throw new IllegalStateException("load generator failed", worker.failure);
      }
      total.add(worker.result);
    }
    total.nanos = System.nanoTime() - start;
    return total;
  }

  /** Requests, errors, chunks, and latency and inter-chunk gap histograms in microseconds. */
  public static final class Result {
    final MicrosHistogram latency = new MicrosHistogram();
    final MicrosHistogram gaps = new MicrosHistogram();
    long requests;
    long errors;
    long chunks;
    long nanos;

    void add(Result other) {
      requests += other.requests;
      errors += other.errors;
      chunks += other.chunks;
      nanos += other.nanos;
      latency.add(other.latency);
      gaps.add(other.gaps);
    }

    /** Requests per second over the run's wall-clock time. */
    public double requestsPerSecond() {
      return requests / (nanos / 1e9);
    }

    /** Requests answered with a status other than 200. */
    public long errors() {
      return errors;
    }

    /** Requests completed. */
    public long requests() {
      return requests;
    }

    /** Body chunks of chunked responses (one per flush: one SSE event on a stream). */
    public long chunks() {
      return chunks;
    }

    /** Seconds the run took. */
    public double seconds() {
      return nanos / 1e9;
    }

    /** The request latency at {@code quantile} (0..1), in microseconds. */
    public long percentileMicros(double quantile) {
      return latency.percentile(quantile);
    }

    /** The gap between consecutive chunks of one response at {@code quantile}, in microseconds. */
    public long gapPercentileMicros(double quantile) {
      return gaps.percentile(quantile);
    }
  }

  private final class Worker extends Thread {
    private final long deadline;
    private final AtomicLong budget;
    private final Result result = new Result();
    private final byte[] line = new byte[8192];
    private volatile Throwable failure;
    private boolean closing;

    Worker(long deadline, AtomicLong budget) {
      super("load-generator");
      setDaemon(true);
      this.deadline = deadline;
      this.budget = budget;
    }

    @Override
    public void run() {
      try {
        while (connection()) {
          // The server closed the connection after a response (Connection: close): reconnect.
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }

    /**
     * Sends requests on one connection; true when the server asked to close it and time is left.
     */
    private boolean connection() throws IOException {
      try (Socket socket = new Socket()) {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16_384);
        while (true) {
          long t0 = System.nanoTime();
          if (t0 >= deadline || budget.decrementAndGet() < 0) {
            return false;
          }
          out.write(requests.get());
          out.flush();
          int status = readResponse(in);
          result.latency.record((System.nanoTime() - t0) / 1_000);
          result.requests++;
          if (status != 200) {
            result.errors++;
          }
          if (closing) {
            closing = false;
            return true;
          }
        }
      }
    }

    /** Reads one response (Content-Length or chunked body) and returns its status. */
    private int readResponse(InputStream in) throws IOException {
      String statusLine = readLine(in);
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closing = true;
        }
      }
      if (status == 204 || status == 304) {
        return status; // never a body, whatever Content-Length says
      }
      if (chunked) {
        long previous = 0;
        for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
          long now = System.nanoTime();
          if (previous != 0) {
            result.gaps.record((now - previous) / 1_000);
          }
          previous = now;
          result.chunks++;
          skip(in, size);
          readLine(in);
        }
        readLine(in);
      } else if (length > 0) {
        skip(in, length);
      } else if (length < 0 && closing) {
        while (in.read() >= 0) {
          // A body delimited by the end of the connection.
        }
      }
      return status;
    }

    private long chunkSize(InputStream in) throws IOException {
      String size = readLine(in);
      int semicolon = size.indexOf(';');
      return Long.parseLong(semicolon < 0 ? size.trim() : size.substring(0, semicolon), 16);
    }

    private void skip(InputStream in, long n) throws IOException {
      long left = n;
      while (left > 0) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("connection closed mid-body");
          }
          skipped = 1;
        }
        left -= skipped;
      }
    }

    private String readLine(InputStream in) throws IOException {
      int n = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed");
        }
        if (b == '\n') {
          int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
          return new String(line, 0, end, StandardCharsets.US_ASCII);
        }
        if (n < line.length) {
          line[n++] = (byte) b;
        }
      }
    }
  }
}
