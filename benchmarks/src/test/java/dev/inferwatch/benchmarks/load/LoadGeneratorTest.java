package dev.inferwatch.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

  private Server server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server =
        HelloApp.start(
            0,
            context -> {
              context.addServlet(new ServletHolder(new FiveChunks()), "/chunks");
              context.addServlet(new ServletHolder(new Closing()), "/closing");
            });
    port = HelloApp.port(server);
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void stopsAtTheRequestBudgetAndCountsNonOkAsErrors() throws InterruptedException {
    AtomicLong next = new AtomicLong();
    String[] statuses = {"200", "204", "304", "404", "500"};
    LoadGenerator.Result result =
        LoadGenerator.get(port, () -> "/r/x?s=" + statuses[(int) (next.getAndIncrement() % 5)], 1)
            .run(10_000, 50);

    // 204 and 304 carry no body whatever Content-Length says: the next response still parses.
    assertThat(result.requests()).isEqualTo(50);
    assertThat(result.errors()).isEqualTo(40);
  }

  @Test
  void countsEveryChunkOfAChunkedResponseAndTheGapsBetweenThem() throws InterruptedException {
    LoadGenerator.Result result = LoadGenerator.postJson(port, "/chunks", "{}", 2).run(10_000, 10);

    assertThat(result.requests()).isEqualTo(10);
    assertThat(result.errors()).isZero();
    assertThat(result.chunks()).isEqualTo(50);
    assertThat(result.gapPercentileMicros(0.5)).isGreaterThanOrEqualTo(1_000);
  }

  @Test
  void reconnectsWhenTheServerClosesTheConnection() throws InterruptedException {
    LoadGenerator.Result result = LoadGenerator.get(port, "/closing", 1).run(10_000, 5);

    assertThat(result.requests()).isEqualTo(5);
    assertThat(result.errors()).isZero();
  }

  /** Five flushed chunks, 2 ms apart. */
  private static final class FiveChunks extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.getInputStream().readAllBytes();
      response.setContentType("text/event-stream");
      ServletOutputStream out = response.getOutputStream();
      for (int i = 0; i < 5; i++) {
        out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Answers 200 and asks for the connection to be closed. */
  private static final class Closing extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setHeader("Connection", "close");
      response.getWriter().write("bye");
    }
  }
}
