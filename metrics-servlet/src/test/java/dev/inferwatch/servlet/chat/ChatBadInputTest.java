package dev.inferwatch.servlet.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.servlet.MetricsFilter;
import dev.inferwatch.testkit.ChatClient;
import dev.inferwatch.testkit.Container;
import dev.inferwatch.testkit.FakeChatModel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Real malformed requests against the chat servlet in Jetty and Tomcat: status and error body. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatBadInputTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final FakeChatModel model = FakeChatModel.builder().build();
  private final FakeChatModel notReady = FakeChatModel.builder().id("loading").ready(false).build();
  private final ChatClient chat = new ChatClient();
  private final Map<Container, Container.Running> apps = new EnumMap<>(Container.class);

  @BeforeAll
  void startContainers() throws Exception {
    for (Container container : Container.values()) {
      ChatCompletionsServlet servlet =
          ChatCompletionsServlet.builder(iw).model(model).maxRequestBytes(4096).build();
      apps.put(
          container,
          container.start(
              new MetricsFilter(iw),
              Container.servlets(
                  CHAT,
                  servlet,
                  "/v1/models",
                  servlet,
                  "/none/v1/chat/completions",
                  new ChatCompletionsServlet(iw),
                  "/loading/v1/chat/completions",
                  new ChatCompletionsServlet(iw, notReady))));
    }
  }

  @AfterAll
  void stopContainers() throws Exception {
    for (Container.Running app : apps.values()) {
      app.close();
    }
    model.close();
    notReady.close();
  }

  static Stream<Arguments> badBodies() {
    Object[][] table = {
      {"not json", "{\"model\":", 400, null},
      {"not an object", "[1,2,3]", 400, null},
      {"empty body", "", 400, null},
      {"model not a string", "{\"model\":42," + MESSAGES + "}", 400, "model"},
      {"missing messages", "{\"model\":\"m\"}", 400, "messages"},
      {"empty messages", "{\"model\":\"m\",\"messages\":[]}", 400, "messages"},
      {"message not an object", "{\"model\":\"m\",\"messages\":[\"hi\"]}", 400, "messages[0]"},
      {
        "unknown role",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}",
        400,
        "messages[0].role"
      },
      {"max_tokens zero", "{\"model\":\"m\"," + MESSAGES + ",\"max_tokens\":0}", 400, "max_tokens"},
      {
        "max_tokens a string",
        "{\"model\":\"m\"," + MESSAGES + ",\"max_tokens\":\"10\"}",
        400,
        "max_tokens"
      },
      {
        "temperature too high",
        "{\"model\":\"m\"," + MESSAGES + ",\"temperature\":7}",
        400,
        "temperature"
      },
      {
        "stream not a boolean",
        "{\"model\":\"m\"," + MESSAGES + ",\"stream\":\"yes\"}",
        400,
        "stream"
      },
      {
        "stream_options without stream",
        "{\"model\":\"m\"," + MESSAGES + ",\"stream_options\":{\"include_usage\":true}}",
        400,
        "stream_options"
      },
      {"stop not strings", "{\"model\":\"m\"," + MESSAGES + ",\"stop\":[1]}", 400, "stop"},
      {"n of two", "{\"model\":\"m\"," + MESSAGES + ",\"n\":2}", 501, "n"},
      {
        "tools",
        "{\"model\":\"m\"," + MESSAGES + ",\"tools\":[{\"type\":\"function\"}]}",
        501,
        "tools"
      },
      {
        "image content part",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}",
        501,
        "messages[0].content"
      },
      {
        "too large",
        "{\"model\":\"m\"," + MESSAGES + ",\"user\":\"" + "x".repeat(5000) + "\"}",
        413,
        null
      },
    };
    List<Arguments> out = new ArrayList<>();
    for (Container container : Container.values()) {
      for (Object[] row : table) {
        out.add(Arguments.of(container, row[0], row[1], row[2], row[3]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1} -> {3}")
  @MethodSource("badBodies")
  void rejectsMalformedBodiesWithAnOpenAiError(
      Container container, String what, String body, int status, String param) {
    ChatClient.Reply reply = chat.post(apps.get(container).uri(CHAT), body);

    assertThat(reply.status()).as(what).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().path("error").path("message").asText()).isNotBlank();
    assertThat(reply.json().path("error").path("type").asText()).isNotBlank();
    if (param != null) {
      assertThat(reply.json().path("error").path("param").asText()).isEqualTo(param);
    }
  }

  static Stream<Arguments> unreadableBodies() {
    String valid = "{\"model\":\"fake-model\"," + MESSAGES + "}";
    String deep = "{\"model\":\"fake-model\",\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
    Object[][] table = {
      {"trailing garbage", valid + " garbage", "content after its JSON value", null},
      {"a second object", valid + "{\"model\":\"other\"}", "content after its JSON value", null},
      {"a stray bracket", valid + "]", "content after its JSON value", null},
      {
        "unterminated string",
        "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi",
        "ends before its JSON value is complete",
        "messages[0].content"
      },
      {
        "bare word in a message",
        "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":hi}]}",
        "is not valid JSON",
        "messages[0].content"
      },
      // The path at which the nesting passed the limit.
      {"nesting too deep", deep, "over a JSON limit", "x" + "[0]".repeat(128)},
      {
        "number too long",
        "{\"model\":\"fake-model\",\"max_tokens\":" + "9".repeat(2000) + "}",
        "over a JSON limit",
        "max_tokens"
      },
    };
    List<Arguments> out = new ArrayList<>();
    for (Container container : Container.values()) {
      for (Object[] row : table) {
        out.add(Arguments.of(container, row[0], row[1], row[2], row[3]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("unreadableBodies")
  void unreadableBodiesAre400InAPlainSentenceWithTheirJsonPath(
      Container container, String what, String body, String says, String path) {
    ChatClient.Reply reply = chat.post(apps.get(container).uri(CHAT), body);

    assertThat(reply.status()).as(what).isEqualTo(400);
    JsonNode error = reply.json().path("error");
    String message = error.path("message").asText();
    assertThat(message).as(what).startsWith("request body ").contains(says).matches("[ -~]+");
    for (String internal :
        new String[] {
          "jackson",
          "com.",
          "JsonNode",
          "JsonParser",
          "Feature",
          "Constraints",
          "Exception",
          "`",
          "(code ",
          "Source:"
        }) {
      assertThat(message.toLowerCase()).as(what).doesNotContain(internal.toLowerCase());
    }
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    if (path == null) {
      assertThat(error.path("param").isNull()).as(what).isTrue();
    } else {
      assertThat(error.path("param").asText()).as(what).isEqualTo(path);
      assertThat(message).as(what).endsWith("in " + path);
    }
    assertThat(model.invocations()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void rejectsWrongContentTypesWith415(Container container) {
    String body = ChatClient.body("fake-model", false);
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
      ChatClient.Reply reply =
          chat.send(
              apps.get(container).uri(CHAT),
              "POST",
              type,
              HttpRequest.BodyPublishers.ofString(body));
      assertThat(reply.status()).as(String.valueOf(type)).isEqualTo(415);
    }
    ChatClient.Reply withCharset =
        chat.send(
            apps.get(container).uri(CHAT),
            "POST",
            "application/json; charset=utf-8",
            HttpRequest.BodyPublishers.ofString(body));
    assertThat(withCharset.status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void rejectsOtherMethodsWith405(Container container) {
    ChatClient.Reply get =
        chat.send(apps.get(container).uri(CHAT), "GET", null, HttpRequest.BodyPublishers.noBody());
    ChatClient.Reply postModels = chat.post(apps.get(container).uri("/v1/models"), "{}");

    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).isEqualTo("POST");
    assertThat(get.json().path("error").path("code").asText()).isEqualTo("method_not_allowed");
    assertThat(postModels.status()).isEqualTo(405);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void answers501WithoutAModelAnd503WhenTheModelIsNotReady(Container container) {
    ChatClient.Reply none =
        chat.post(apps.get(container).uri("/none/v1/chat/completions"), ChatClient.body("m", true));
    ChatClient.Reply loading =
        chat.post(
            apps.get(container).uri("/loading/v1/chat/completions"),
            ChatClient.body("loading", true));

    assertThat(none.status()).isEqualTo(501);
    assertThat(none.json().path("error").path("code").asText()).isEqualTo("no_model");
    assertThat(loading.status()).isEqualTo(503);
    assertThat(loading.json().path("error").path("code").asText()).isEqualTo("model_not_ready");
  }
}
