package dev.inferwatch.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The {@code inferwatch-cli} command line: {@code top}, {@code events} and {@code check} over an
 * instrumented app's {@code /metrics.json} and {@code /readyz}.
 *
 * <pre>{@code
 * java -jar metrics-cli/target/inferwatch-cli.jar top http://localhost:8080
 * java -jar metrics-cli/target/inferwatch-cli.jar events http://localhost:8080 --auth $TOKEN
 * java -jar metrics-cli/target/inferwatch-cli.jar check http://localhost:8080 && deploy-next
 * }</pre>
 */
public final class Main {

  private Main() {}

  /** Runs the command and exits with its status: 0 ok, 1 not ready or unreachable, 2 usage. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.in));
  }

  /**
   * Runs the command of {@code args} and returns its exit status, writing to {@code out} and {@code
   * err}; {@code top} reads keys from {@code in}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
    Options options;
    try {
      if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
        out.println(Options.USAGE);
        return args.length == 0 ? 2 : 0;
      }
      options = Options.parse(args, System.getenv("INFERWATCH_CLI_AUTH"));
    } catch (IllegalArgumentException e) {
      err.println("inferwatch-cli: " + e.getMessage());
      err.println(Options.USAGE);
      return 2;
    }
    Endpoint endpoint = new Endpoint(options.base(), options.authorization());
    try {
      return switch (options.command()) {
        case "check" -> CheckCommand.run(endpoint, out);
        case "events" -> EventsCommand.run(endpoint, options, out);
        default -> new TopCommand(endpoint, options).run(out, err, in);
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
