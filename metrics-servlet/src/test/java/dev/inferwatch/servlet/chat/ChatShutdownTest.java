package dev.inferwatch.servlet.chat;

import static dev.inferwatch.servlet.chat.ChatCompletionsServletTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.testkit.ChatClient;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import dev.inferwatch.testkit.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What happens to streams in flight when the chat servlet or its container shuts down. */
class ChatShutdownTest {

  private static final String CHAT = "/v1/chat/completions";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final ChatClient chat = new ChatClient();
  private final List<FakeChatModel> models = new ArrayList<>();

  @AfterEach
  void closeModels() {
    models.forEach(FakeChatModel::close);
  }

  private FakeChatModel.Builder fake() {
    return FakeChatModel.builder().timeToFirstToken(Duration.ofMillis(5)).tokens(8);
  }

  private FakeChatModel track(FakeChatModel model) {
    models.add(model);
    return model;
  }

  private Container.Running start(Container container, ChatCompletionsServlet servlet)
      throws Exception {
    return container.start(new MetricsFilter(iw), Container.servlets(CHAT, servlet));
  }

  private Scrape scrape() {
    return Scrape.of(registry);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void destroyLetsShortStreamsFinishAndCutsTheRestWithAnErrorChunkAndDone(Container container)
      throws Exception {
    FakeChatModel model = track(fake().tokenDelay(Duration.ofMillis(20)).tokens(1000).build());
    FakeChatModel brief =
        track(fake().id("brief").tokenDelay(Duration.ofMillis(20)).tokens(5).build());
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw)
            .model(model)
            .model(brief)
            .shutdownGrace(Duration.ofMillis(1500))
            .build();
    try (Container.Running app = start(container, servlet)) {
      CompletableFuture<List<String>> cutStream = streamLines(app, "fake-model");
      CompletableFuture<List<String>> briefStream = streamLines(app, "brief");
      await(() -> servlet.activeStreams() == 2 || briefStream.isDone());

      servlet.destroy();

      List<String> cut = cutStream.get();
      assertThat(cut).last().isEqualTo("[DONE]");
      JsonNode error = ChatClient.parse(cut.get(cut.size() - 2)).path("error");
      assertThat(error.path("code").asText()).isEqualTo("shutdown");
      List<String> finished = briefStream.get();
      assertThat(finished).last().isEqualTo("[DONE]");
      assertThat(finished).noneMatch(line -> line.contains("\"error\""));
      assertThat(model.cancellations()).isEqualTo(1);
      assertThat(servlet.activeStreams()).isZero();
      Scrape s = scrape();
      assertThat(s.value("gen_ai_server_requests_total", "finish_reason", "error")).isEqualTo(1);
      assertThat(s.value("gen_ai_server_request_duration_seconds_count", "error_type", "shutdown"))
          .isEqualTo(1);
      assertThat(s.value("gen_ai_server_requests_total", "finish_reason", "stop")).isEqualTo(1);
      assertThat(s.value("gen_ai_server_streams_active")).isZero();
      ChatClient.Reply refused = chat.post(app.uri(CHAT), ChatClient.body("fake-model", true));
      assertThat(refused.status()).isEqualTo(503);
    }
  }

  /**
   * A real container stop: Tomcat destroys the servlet while connections are open (clients get an
   * error chunk and {@code [DONE]}); Jetty without a GracefulHandler closes connections first. On
   * both, nothing is left behind on the server.
   */
  @ParameterizedTest
  @EnumSource(Container.class)
  void containerShutdownLeavesNoStreamBehind(Container container) throws Exception {
    FakeChatModel model = track(fake().tokenDelay(Duration.ofMillis(20)).tokens(1000).build());
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw)
            .model(model)
            .shutdownGrace(Duration.ofMillis(200))
            .build();
    Container.Running app = start(container, servlet);
    CompletableFuture<List<String>> lines = streamLines(app, "fake-model");
    await(() -> servlet.activeStreams() == 1);
    Thread.sleep(100);

    app.close();

    List<String> data = lines.get();
    assertThat(data.size()).isGreaterThanOrEqualTo(1);
    await(() -> model.cancellations() == 1 && servlet.activeStreams() == 0);
    assertThat(model.activeStreams()).isZero();
    assertThat(scrape().value("gen_ai_server_streams_active")).isZero();
    assertThat(scrape().value("gen_ai_server_requests_total")).isEqualTo(1);
  }

  /** Streams a chat request in the background; the data lines read until the end or a cut. */
  private CompletableFuture<List<String>> streamLines(Container.Running app, String model)
      throws Exception {
    HttpResponse<Stream<String>> response =
        chat.http.send(
            HttpRequest.newBuilder(app.uri(CHAT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ChatClient.body(model, true)))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    return CompletableFuture.supplyAsync(
        () -> {
          List<String> data = new ArrayList<>();
          try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
              String line = it.next();
              if (line.startsWith("data: ")) {
                data.add(line.substring(6));
              }
            }
          } catch (UncheckedIOException cut) {
            data.add("<cut>");
          }
          return data;
        },
        ChatCompletionsServletTest.POOL);
  }
}
