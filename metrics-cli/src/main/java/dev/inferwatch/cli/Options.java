package dev.inferwatch.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * The command line: {@code <command> <url> [--auth USER:PASSWORD | --auth TOKEN] [--once]
 * [--interval SECONDS]}.
 *
 * @param command {@code top}, {@code events} or {@code check}
 * @param base the app's base URL, with a trailing slash
 * @param authorization the {@code Authorization} header value, or null
 * @param once print one frame (or the current events) and exit
 * @param interval time between polls
 */
record Options(String command, URI base, String authorization, boolean once, Duration interval) {

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar inferwatch-cli.jar <command> <url> [options]",
          "",
          "commands:",
          "  top URL      full-screen view of /metrics.json: routes, providers, models, LLM, GPU,",
          "               events and 30-minute sparklines; q quits",
          "  events URL   follow the event journal like tail -f",
          "  check URL    exit 0 when /readyz answers 200, else 1 with the reason",
          "",
          "options:",
          "  --auth USER:PASSWORD   basic auth; --auth TOKEN sends a bearer token",
          "                         (or set INFERWATCH_CLI_AUTH)",
          "  --once                 print one frame (top) or the current events and exit",
          "  --interval SECONDS     time between polls (default 2)",
          "",
          "exit status: 0 ok, 1 not ready or unreachable, 2 usage error");

  /** Parses {@code args}; a mistake throws {@link IllegalArgumentException} with what is wrong. */
  static Options parse(String[] args, String authFromEnvironment) {
    String command = null;
    String url = null;
    String auth = authFromEnvironment;
    boolean once = false;
    Duration interval = Duration.ofSeconds(2);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--once" -> once = true;
        case "--auth" -> auth = value(args, ++i, arg);
        case "--interval" -> interval = seconds(value(args, ++i, arg));
        default -> {
          if (arg.startsWith("--auth=")) {
            auth = arg.substring(7);
          } else if (arg.startsWith("--interval=")) {
            interval = seconds(arg.substring(11));
          } else if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + arg);
          } else if (command == null) {
            command = arg.toLowerCase(Locale.ROOT);
          } else if (url == null) {
            url = arg;
          } else {
            throw new IllegalArgumentException("unexpected argument " + arg);
          }
        }
      }
    }
    if (command == null
        || !(command.equals("top") || command.equals("events") || command.equals("check"))) {
      throw new IllegalArgumentException(
          command == null ? "no command" : "unknown command " + command);
    }
    if (url == null) {
      throw new IllegalArgumentException(
          command + " needs the app's URL, such as http://localhost:8080");
    }
    return new Options(command, base(url), authorization(auth), once, interval);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static Duration seconds(String value) {
    try {
      double seconds = Double.parseDouble(value);
      if (!(seconds >= 0.1 && seconds <= 3600)) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis((long) (seconds * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--interval must be 0.1 to 3600 seconds, got " + value);
    }
  }

  private static URI base(String url) {
    String withScheme = url.contains("://") ? url : "http://" + url;
    try {
      URI uri = URI.create(withScheme.endsWith("/") ? withScheme : withScheme + "/");
      if (uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an http(s) URL: " + url);
    }
  }

  /** USER:PASSWORD → basic; anything else → bearer; null or blank → none. */
  static String authorization(String auth) {
    if (auth == null || auth.isBlank()) {
      return null;
    }
    if (auth.contains(":")) {
      return "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(auth.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return "Bearer " + auth;
  }
}
