package dev.inferwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The instrumented app, over HTTP: its JSON snapshot and its probes, with optional auth. */
final class Endpoint {

  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String authorization;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  Endpoint(URI base, String authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  URI base() {
    return base;
  }

  /** A GET of {@code path} (relative, such as {@code metrics.json}). */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(5))
            .header("Accept", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code path} as JSON; an answer other than 200 is an {@link IOException} saying so. */
  JsonNode json(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    if (response.statusCode() != 200) {
      String hint = response.statusCode() == 401 ? " (use --auth)" : "";
      throw new IOException(path + " answered HTTP " + response.statusCode() + hint);
    }
    return JSON.readTree(response.body());
  }
}
