package dev.inferwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CheckCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int check(String url, String... more) {
    String[] args = new String[2 + more.length];
    args[0] = "check";
    args[1] = url;
    System.arraycopy(more, 0, args, 2, more.length);
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        InputStream.nullInputStream());
  }

  @Test
  void exitsOneWithTheReasonWhileNotReadyAndZeroOnceReadySendingTheCredentials() throws Exception {
    AtomicReference<String> body =
        new AtomicReference<>(
            "{\"status\":\"DOWN\",\"checks\":{\"model\":{\"status\":\"DOWN\",\"reason\":\"sentiment is loading\"}}}");
    AtomicReference<String> seenAuth = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/readyz",
        exchange -> {
          seenAuth.set(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(body.get().contains("DOWN") ? 503 : 200, bytes.length);
          try (OutputStream o = exchange.getResponseBody()) {
            o.write(bytes);
          }
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      assertThat(check(url, "--auth", "token")).isEqualTo(1);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("not ready: model: sentiment is loading (HTTP 503)");
      assertThat(seenAuth.get()).isEqualTo("Bearer token");

      body.set("{\"status\":\"UP\",\"checks\":{\"model\":{\"status\":\"UP\"}}}");
      out.reset();
      assertThat(check(url)).isEqualTo(0);
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ready" + System.lineSeparator());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnreachableAppIsNotReadyAndAMistakeIsAUsageError() {
    assertThat(check("http://127.0.0.1:1")).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("unreachable: http://127.0.0.1:1/");
    assertThat(check("http://127.0.0.1:1", "--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus", "usage:");
  }
}
