package dev.inferwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code events URL}: prints the journal's recent events oldest first, then, like {@code tail -f},
 * every new one as it appears (polling {@code metrics.json}); {@code --once} stops after the first.
 */
final class EventsCommand {

  // Events already printed, newest last; bounded, the journal itself keeps far fewer.
  private static final int REMEMBERED = 2048;

  private EventsCommand() {}

  static int run(Endpoint endpoint, Options options, PrintStream out) throws InterruptedException {
    Set<String> seen = new LinkedHashSet<>();
    boolean reachable = false;
    while (true) {
      try {
        JsonNode events = endpoint.json("metrics.json").path("events");
        reachable = true;
        List<JsonNode> fresh = new ArrayList<>();
        for (JsonNode event : events) { // newest first
          if (seen.contains(key(event))) {
            break;
          }
          fresh.add(0, event);
        }
        for (JsonNode event : fresh) {
          seen.add(key(event));
          out.println(line(event));
        }
        while (seen.size() > REMEMBERED) {
          seen.remove(seen.iterator().next());
        }
        out.flush();
      } catch (IOException e) {
        out.println("unreachable: " + endpoint.base() + " (" + e.getMessage() + ")");
        if (options.once() || !reachable) {
          return 1;
        }
      }
      if (options.once()) {
        return 0;
      }
      Thread.sleep(options.interval().toMillis());
    }
  }

  /** {@code HH:mm:ss type subject: message key=value ...}. */
  static String line(JsonNode event) {
    StringBuilder line =
        new StringBuilder()
            .append(Units.clock(event.path("time").asText()))
            .append(' ')
            .append(event.path("type").asText("event"));
    String subject = event.path("subject").asText("");
    line.append(' ')
        .append(subject.isEmpty() ? "" : subject + ": ")
        .append(event.path("message").asText(""));
    for (Map.Entry<String, JsonNode> field : iterable(event)) {
      String name = field.getKey();
      if (!List.of("time", "type", "subject", "message").contains(name)) {
        line.append(' ')
            .append(name)
            .append('=')
            .append(field.getValue().asText(field.getValue().toString()));
      }
    }
    return line.toString();
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }

  private static String key(JsonNode event) {
    return event.path("time").asText()
        + '\u0000'
        + event.path("type").asText()
        + '\u0000'
        + event.path("subject").asText()
        + '\u0000'
        + event.path("message").asText();
  }
}
