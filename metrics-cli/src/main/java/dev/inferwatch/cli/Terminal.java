package dev.inferwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The terminal, driven with ANSI escapes and {@code stty} (no native library): raw key input, the
 * alternate screen, the size as it is now. {@link #close()} puts everything back, also from a
 * shutdown hook when the user presses Ctrl-C.
 */
final class Terminal implements AutoCloseable {

  private final PrintStream out;
  private final InputStream in;
  private final String saved;
  private boolean closed;

  private Terminal(PrintStream out, InputStream in, String saved) {
    this.out = out;
    this.in = in;
    this.saved = saved;
  }

  /** Switches the controlling terminal to raw input and the alternate screen; null without one. */
  static Terminal open(PrintStream out, InputStream in) {
    String saved = stty("-g");
    if (saved == null || stty("-icanon -echo min 0 time 0") == null) {
      return null;
    }
    Terminal terminal = new Terminal(out, in, saved.trim());
    out.print("\033[?1049h\033[?25l");
    out.flush();
    return terminal;
  }

  /** {rows, columns} now; the environment's LINES and COLUMNS, or 24 × 80, when stty cannot say. */
  static int[] size() {
    String size = stty("size");
    if (size != null) {
      String[] parts = size.trim().split("\\s+");
      if (parts.length == 2) {
        try {
          return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException ignored) {
          // fall through
        }
      }
    }
    return new int[] {number(System.getenv("LINES"), 24), number(System.getenv("COLUMNS"), 80)};
  }

  /** The next key pressed, or -1 when none is waiting. */
  int key() throws IOException {
    return in.available() > 0 ? in.read() : -1;
  }

  /** Draws {@code lines} from the top-left corner, clearing what the last frame left. */
  void draw(List<String> lines) {
    StringBuilder screen = new StringBuilder("\033[H");
    for (int i = 0; i < lines.size(); i++) {
      screen.append(lines.get(i)).append("\033[K");
      if (i < lines.size() - 1) {
        screen.append("\r\n");
      }
    }
    screen.append("\033[J");
    out.print(screen);
    out.flush();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    out.print("\033[?25h\033[?1049l");
    out.flush();
    stty(saved);
  }

  private static int number(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Runs {@code stty arguments} on the controlling terminal; its output, or null on failure. */
  private static String stty(String arguments) {
    try {
      Process process =
          new ProcessBuilder("sh", "-c", "stty " + arguments + " < /dev/tty")
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return process.waitFor() == 0 ? output : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
