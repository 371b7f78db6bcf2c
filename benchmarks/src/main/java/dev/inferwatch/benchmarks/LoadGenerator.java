package dev.inferwatch.benchmarks;

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

/**
 * A closed-loop HTTP/1.1 load generator over loopback: each connection sends one GET, reads the
 * whole response, and sends the next, recording latency at 1 µs resolution up to 100 ms.
 *
 * <pre>{@code
 * LoadGenerator.Result r = new LoadGenerator(port, "/hello", 4).run(Duration.ofSeconds(3));
 * double rps = r.requestsPerSecond();
 * }</pre>
 */
final class LoadGenerator {

  static final int MAX_MICROS = 100_000;

  private final int port;
  private final byte[] request;
  private final int connections;

  LoadGenerator(int port, String path, int connections) {
    this.port = port;
    this.request =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    this.connections = connections;
  }

  /** Drives the server for {@code millis} with every connection and returns what they saw. */
  Result run(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    List<Worker> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      Worker worker = new Worker(deadline);
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

  /** Requests, errors and a latency histogram in microseconds. */
  static final class Result {
    final long[] micros = new long[MAX_MICROS + 1];
    long requests;
    long errors;
    long nanos;

    void add(Result other) {
      requests += other.requests;
      errors += other.errors;
      for (int i = 0; i < micros.length; i++) {
        micros[i] += other.micros[i];
      }
    }

    double requestsPerSecond() {
      return requests / (nanos / 1e9);
    }

    /** The latency at {@code quantile} (0..1), in microseconds; 100 ms means "at least". */
    long percentileMicros(double quantile) {
      long rank = (long) Math.ceil(quantile * requests);
      long seen = 0;
      for (int i = 0; i < micros.length; i++) {
        seen += micros[i];
        if (seen >= rank) {
          return i;
        }
      }
      return MAX_MICROS;
    }
  }

  private final class Worker extends Thread {
    private final long deadline;
    private final Result result = new Result();
    private final byte[] line = new byte[8192];
    private volatile Throwable failure;

    Worker(long deadline) {
      super("load-generator");
      setDaemon(true);
      this.deadline = deadline;
    }

    @Override
    public void run() {
      try (Socket socket = new Socket()) {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16_384);
        while (true) {
          long t0 = System.nanoTime();
          if (t0 >= deadline) {
            return;
          }
          out.write(request);
          out.flush();
          int status = readResponse(in);
          long micros = (System.nanoTime() - t0) / 1_000;
          result.micros[(int) Math.min(micros, MAX_MICROS)]++;
          result.requests++;
          if (status != 200) {
            result.errors++;
          }
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
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
        }
      }
      if (chunked) {
        for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
          skip(in, size);
          readLine(in);
        }
        readLine(in);
      } else if (length > 0) {
        skip(in, length);
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
