package dev.inferwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * {@code top URL}: a full-screen view refreshed every interval, like {@code htop}; {@code q} quits,
 * the frame follows the terminal's size. {@code --once} prints one frame (two polls a second apart,
 * so rates are known) and exits: what scripts and CI use.
 */
final class TopCommand {

  private static final int ONCE_WIDTH = 120;
  private static final int ONCE_HEIGHT = 200;

  private final Endpoint endpoint;
  private final Options options;

  TopCommand(Endpoint endpoint, Options options) {
    this.endpoint = endpoint;
    this.options = options;
  }

  int run(PrintStream out, PrintStream err, InputStream in) throws InterruptedException {
    return options.once() ? once(out, err) : interactive(out, err, in);
  }

  private int once(PrintStream out, PrintStream err) throws InterruptedException {
    try {
      JsonNode first = endpoint.json("metrics.json");
      long startedAt = System.nanoTime();
      Thread.sleep(Math.min(1000, options.interval().toMillis()));
      JsonNode second = endpoint.json("metrics.json");
      double seconds = (System.nanoTime() - startedAt) / 1e9;
      // Printed, not drawn: as wide as COLUMNS says (120 when unset), as long as LINES (all else).
      int columns = number(System.getenv("COLUMNS"));
      int rows = number(System.getenv("LINES"));
      Frame frame =
          new Frame(
              second, first, seconds, readiness(), columns > 0 ? columns : ONCE_WIDTH, footer());
      frame.lines(rows > 0 ? rows : ONCE_HEIGHT).forEach(out::println);
      return 0;
    } catch (IOException e) {
      err.println("unreachable: " + endpoint.base() + " (" + e.getMessage() + ")");
      return 1;
    }
  }

  private int interactive(PrintStream out, PrintStream err, InputStream in)
      throws InterruptedException {
    Terminal terminal = Terminal.open(out, in);
    if (terminal == null) {
      err.println("top needs a terminal; use --once to print one frame");
      return 2;
    }
    Thread restore = new Thread(terminal::close, "inferwatch-cli-restore");
    Runtime.getRuntime().addShutdownHook(restore);
    try {
      JsonNode previous = null;
      JsonNode latest = null;
      long previousAt = 0;
      long latestAt = 0;
      String readiness = "";
      String problem = null;
      long nextPoll = 0;
      int[] size = Terminal.size();
      long nextSizeCheck = 0;
      boolean redraw = true;
      while (true) {
        long now = System.nanoTime();
        if (now - nextPoll >= 0) {
          try {
            JsonNode fresh = endpoint.json("metrics.json");
            previous = latest;
            previousAt = latestAt;
            latest = fresh;
            latestAt = now;
            readiness = readiness();
            problem = null;
          } catch (IOException e) {
            problem = "unreachable: " + e.getMessage();
          }
          nextPoll = now + options.interval().toNanos();
          redraw = true;
        }
        if (now - nextSizeCheck >= 0) {
          int[] current = Terminal.size();
          if (current[0] != size[0] || current[1] != size[1]) {
            size = current;
            redraw = true;
          }
          nextSizeCheck = now + 500_000_000L;
        }
        if (redraw) {
          terminal.draw(
              screen(latest, previous, (latestAt - previousAt) / 1e9, readiness, problem, size));
          redraw = false;
        }
        int key = terminal.key();
        if (key == 'q' || key == 'Q' || key == 3 || key == 4) {
          return 0;
        }
        Thread.sleep(100);
      }
    } catch (IOException e) {
      return 0; // the terminal went away
    } finally {
      terminal.close();
      try {
        Runtime.getRuntime().removeShutdownHook(restore);
      } catch (IllegalStateException ignored) {
        // Already shutting down: the hook runs and close() is idempotent.
      }
    }
  }

  private List<String> screen(
      JsonNode latest,
      JsonNode previous,
      double seconds,
      String readiness,
      String problem,
      int[] size) {
    if (latest == null) {
      return List.of(
          "inferwatch top · " + endpoint.base(),
          problem == null ? "connecting…" : problem,
          "",
          footer());
    }
    String state = problem == null ? readiness : problem;
    return new Frame(latest, previous, previous == null ? 0 : seconds, state, size[1], footer())
        .lines(size[0]);
  }

  private String readiness() throws InterruptedException {
    try {
      HttpResponse<String> ready = endpoint.get("readyz");
      return ready.statusCode() == 200 ? "READY" : "NOT READY: " + CheckCommand.reason(ready);
    } catch (IOException e) {
      return "readiness unknown";
    }
  }

  private String footer() {
    String keys = options.once() ? "one frame" : "q quit";
    return keys + " · every " + options.interval().toMillis() / 1000.0 + " s · " + endpoint.base();
  }

  private static int number(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
