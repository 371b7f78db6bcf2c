package dev.inferwatch.demo;

import dev.inferwatch.core.Inferwatch;
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
 * DEMO_CHAT_TOKEN_DELAY_MS} (25) and {@code DEMO_CHAT_TOKENS} (40).
 */
final class DemoChat {

  static final String PATH = ServletPaths.CHAT.get(0);

  private DemoChat() {}

  static void register(ServletContextHandler context, Inferwatch iw) {
    FakeChatModel model =
        FakeChatModel.builder()
            .id(env("DEMO_CHAT_MODEL", "fake-model"))
            .timeToFirstToken(Duration.ofMillis(number("DEMO_CHAT_TTFT_MS", 120)))
            .tokenDelay(Duration.ofMillis(number("DEMO_CHAT_TOKEN_DELAY_MS", 25)))
            .tokens(number("DEMO_CHAT_TOKENS", 40))
            .build();
    // Not closed on shutdown: its daemon threads must keep streams going while Jetty drains them.
    ServletHolder holder = new ServletHolder("chat", new ChatCompletionsServlet(iw, model));
    holder.setAsyncSupported(true);
    ServletMapping mapping = new ServletMapping();
    mapping.setServletName("chat");
    mapping.setPathSpecs(ServletPaths.CHAT.toArray(new String[0]));
    context.getServletHandler().addServlet(holder);
    context.getServletHandler().addServletMapping(mapping);
  }

  private static int number(String name, int fallback) {
    return (int) DemoServer.number(name, fallback, 0, 1_000_000);
  }

  private static String env(String name, String fallback) {
    return DemoServer.env(name, fallback);
  }
}
