package dev.inferwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** {@code check URL}: exit 0 when {@code /readyz} answers 200, else 1 with the reason. */
final class CheckCommand {

  private CheckCommand() {}

  static int run(Endpoint endpoint, PrintStream out) throws InterruptedException {
    HttpResponse<String> response;
    try {
      response = endpoint.get("readyz");
    } catch (IOException e) {
      out.println("unreachable: " + endpoint.base() + " (" + e + ")");
      return 1;
    }
    if (response.statusCode() == 200) {
      out.println("ready");
      return 0;
    }
    out.println("not ready: " + reason(response));
    return 1;
  }

  /** The down checks and their reasons from the probe's JSON, else the status code. */
  static String reason(HttpResponse<String> response) {
    List<String> down = new ArrayList<>();
    try {
      JsonNode checks = Endpoint.JSON.readTree(response.body()).path("checks");
      checks
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode check = e.getValue();
                if ("DOWN".equals(check.path("status").asText(check.asText()))) {
                  String why = check.path("reason").asText("");
                  down.add(why.isEmpty() ? e.getKey() + " down" : e.getKey() + ": " + why);
                }
              });
    } catch (IOException | RuntimeException e) {
      // Not the kit's JSON: the status line says enough.
    }
    return down.isEmpty()
        ? "/readyz answered HTTP " + response.statusCode()
        : String.join("; ", down) + " (HTTP " + response.statusCode() + ")";
  }
}
