package dev.inferwatch.demo;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Settings;
import dev.inferwatch.servlet.ServletPaths;
import dev.inferwatch.servlet.chat.ChatCompletionsServlet;
import dev.inferwatch.testkit.FakeChatModel;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;

/**
 * The demo's OpenAI-compatible chat endpoint over a {@link FakeChatModel}, its latency tuned by
 * {@code DEMO_CHAT_MODEL} (id, default {@code fake-model}), {@code DEMO_CHAT_TTFT_MS} (120), {@code
 * DEMO_CHAT_TOKEN_DELAY_MS} (25) and {@code DEMO_CHAT_TOKENS} (40); streams in flight at shutdown
 * get {@code INFERWATCH_CHAT_SHUTDOWN_GRACE_MS} (5000) to finish.
 */
final class DemoChat {

  static final String PATH = ServletPaths.CHAT.get(0);

  private DemoChat() {}

  /** Maps the chat servlet and returns it, for the demo's ordered shutdown. */
  static ChatCompletionsServlet register(ServletContextHandler context, Inferwatch iw) {
    FakeChatModel model =
        FakeChatModel.builder()
            .id(env("DEMO_CHAT_MODEL", "fake-model"))
            .timeToFirstToken(Duration.ofMillis(number("DEMO_CHAT_TTFT_MS", 120)))
            .tokenDelay(Duration.ofMillis(number("DEMO_CHAT_TOKEN_DELAY_MS", 25)))
            .tokens(number("DEMO_CHAT_TOKENS", 40))
            .tokensPerChunk(2)
            .cachedTokens(3)
            .build();
    // Not closed on shutdown: its daemon threads must keep streams going while Jetty drains them.
    ChatCompletionsServlet servlet =
        ChatCompletionsServlet.builder(iw).model(model).shutdownGrace(shutdownGrace()).build();
    ServletHolder holder = new ServletHolder("chat", servlet);
    holder.setAsyncSupported(true);
    ServletMapping mapping = new ServletMapping();
    mapping.setServletName("chat");
    mapping.setPathSpecs(ServletPaths.CHAT.toArray(new String[0]));
    context.getServletHandler().addServlet(holder);
    context.getServletHandler().addServletMapping(mapping);
    return servlet;
  }

  /** How long streams in flight may run on after shutdown began: the kit's chat setting. */
  static Duration shutdownGrace() {
    return Duration.ofMillis(
        Settings.fromEnvironment()
            .getInt(
                "CHAT_SHUTDOWN_GRACE_MS",
                (int) ChatCompletionsServlet.DEFAULT_SHUTDOWN_GRACE.toMillis()));
  }

  private static int number(String name, int fallback) {
    String value = env(name, null);
    return value == null ? fallback : Integer.parseInt(value.trim());
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
