package dev.inferwatch.benchmarks.load;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.servlet.chat.ChatRequest;
import dev.inferwatch.servlet.internal.ContextInferwatch;
import dev.inferwatch.testkit.FakeChatModel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * Tokens per second and the p99 gap between chunks of SSE chat streams, through {@link
 * ChatCompletionsServlet} behind {@link MetricsFilter} and through {@link BareSseServlet} (the same
 * chunks, byte for byte, with no metrics), both on the same Jetty 12 app in one {@link RotatingRun}
 * per concurrency level. The model is the test kit's {@link FakeChatModel} with no delay before or
 * between tokens, so the servlets, not the model, set the pace. Each client connection streams one
 * chat after another; tokens are the chunks minus the role, finish and {@code [DONE]} events.
 *
 * <p>The chat servlet is configured as the drop-in reads it, so that every stream of the largest
 * level is admitted at once (context parameters {@code inferwatch.chat.max.concurrent} and {@code
 * inferwatch.chat.max.queued}, set to the largest level: the defaults, 64 generating and 256
 * waiting, would answer the rest 429).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.inferwatch.benchmarks.load.StreamingRatio \
 *     -streams 1,64,512 -rounds 10 -round-ms 2000 -warmup-ms 4000 -out target/streaming.json
 * }</pre>
 */
public final class StreamingRatio {

  static final String PROMPT = "Describe the river in a few words";
  static final int NON_TOKEN_EVENTS = 3;

  private StreamingRatio() {}

  /** Runs every concurrency level and writes the result rows to {@code -out}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Rows.options(args);
    int tokens = Integer.parseInt(options.getOrDefault("tokens", "32"));
    int[] levels =
        Arrays.stream(options.getOrDefault("streams", "1,64,512").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int largest = Arrays.stream(levels).max().orElse(1);
    File out = new File(options.getOrDefault("out", "target/streaming.json"));

    Inferwatch iw = HelloApp.inferwatch();
    FakeChatModel kitModel = model(tokens);
    FakeChatModel bareModel = model(tokens);
    String body =
        "{\"model\":\""
            + FakeChatModel.DEFAULT_ID
            + "\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\""
            + PROMPT
            + "\"}]}";
    List<Server> servers = new ArrayList<>();
    try {
      Server kit =
          HelloApp.start(
              0,
              context -> {
                context.setAttribute(ContextInferwatch.ATTRIBUTE, iw);
                context.setAttribute(ChatCompletionsServlet.MODELS_ATTRIBUTE, kitModel);
                context.setInitParameter("inferwatch.chat.max.concurrent", "" + largest);
                context.setInitParameter("inferwatch.chat.max.queued", "" + largest);
                HelloApp.filter(context, new MetricsFilter(iw));
                ServletHolder chat = new ServletHolder(new ChatCompletionsServlet());
                chat.setAsyncSupported(true);
                ServletPaths.CHAT.forEach(path -> context.addServlet(chat, path));
              });
      servers.add(kit);
      List<byte[]> events = record(HelloApp.port(kit), body);
      if (events.size() != tokens + NON_TOKEN_EVENTS) {
        throw new IllegalStateException(
            "expected " + (tokens + NON_TOKEN_EVENTS) + " events, recorded " + events.size());
      }
      ChatRequest request =
          ChatRequest.builder(FakeChatModel.DEFAULT_ID).message("user", PROMPT).stream(true)
              .build();
      BareSseServlet bareServlet = new BareSseServlet(bareModel, request, events);
      Server bare =
          HelloApp.start(
              0,
              context -> {
                ServletHolder holder = new ServletHolder(bareServlet);
                holder.setAsyncSupported(true);
                context.addServlet(holder, ServletPaths.CHAT.get(0));
              });
      servers.add(bare);

      List<Map<String, Object>> rows = new ArrayList<>();
      for (int streams : levels) {
        System.out.println("== " + streams + " concurrent streams");
        RotatingRun run = RotatingRun.of(options, 10, 2_000, 4_000);
        String path = ServletPaths.CHAT.get(0);
        List<RotatingRun.Arm> arms =
            List.of(
                run.arm(
                    "chatServlet", LoadGenerator.postJson(HelloApp.port(kit), path, body, streams)),
                run.arm(
                    "bareSse", LoadGenerator.postJson(HelloApp.port(bare), path, body, streams)));
        run.execute();
        for (RotatingRun.Arm arm : arms) {
          LoadGenerator.Result total = arm.total();
          if (total.errors() > 0
              || total.chunks() != total.requests() * (tokens + NON_TOKEN_EVENTS)) {
            throw new IllegalStateException(
                arm.name()
                    + " at "
                    + streams
                    + " streams: "
                    + total.errors()
                    + " errors, "
                    + total.chunks()
                    + " chunks in "
                    + total.requests()
                    + " streams");
          }
          double tokensPerSecond = arm.median(StreamingRatio::tokensPerSecond);
          long gapP99 = total.gapPercentileMicros(0.99);
          rows.add(
              Rows.row(StreamingRatio.class, arm.name(), streams, tokensPerSecond, "tokens/s"));
          rows.add(Rows.row(StreamingRatio.class, arm.name() + "GapP99", streams, gapP99, "us"));
          System.out.printf(
              "%s, %d streams: median %.0f tokens/s, p99 gap %d us%n",
              arm.name(), streams, tokensPerSecond, gapP99);
        }
      }
      Rows.write(out, rows);
    } finally {
      for (Server server : servers) {
        server.stop();
      }
      kitModel.close();
      bareModel.close();
      iw.close();
    }
  }

  private static FakeChatModel model(int tokens) {
    return FakeChatModel.builder()
        .timeToFirstToken(Duration.ZERO)
        .tokenDelay(Duration.ZERO)
        .tokens(tokens)
        .build();
  }

  private static double tokensPerSecond(LoadGenerator.Result round) {
    return (round.chunks() - NON_TOKEN_EVENTS * round.requests()) / round.seconds();
  }

  /** One stream from the chat servlet, split into its SSE events ({@code data: …\n\n} each). */
  static List<byte[]> record(int port, String body) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + ServletPaths.CHAT.get(0))
                .toURL()
                .openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = c.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    String text;
    try (InputStream in = c.getInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<byte[]> events = new ArrayList<>();
    for (int start = 0, end; (end = text.indexOf("\n\n", start)) >= 0; start = end + 2) {
      events.add(text.substring(start, end + 2).getBytes(StandardCharsets.UTF_8));
    }
    return events;
  }
}
