package dev.inferwatch.servlet.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferwatch.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatWireTest {

  private static final String[] TEXTS = {
    "",
    "Hello",
    " world",
    "quote \" and backslash \\ and slash /",
    "new\nline\ttab\rreturn\bback\fform",
    "\u0000\u0001\u001f\u007f",
    "caf\u00e9 \u4e2d\u6587 \ud83d\ude00",
    "\u2028\u2029",
    "</script><!--",
    "{\"content\":\"\"}}]}",
  };

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void contentChunksAreByteForByteTheJsonTreesRendering(boolean includeUsage) throws Exception {
    ChatWire wire = new ChatWire("chatcmpl-\"id\"", 1_700_000_000L, "m\u00e9/\"x\"", includeUsage);
    for (String text : TEXTS) {
      assertThat(wire.contentChunk(text)).as(text).isEqualTo(wire.treeContentChunk(text));
    }
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      String text = randomText(random);
      assertThat(wire.contentChunk(text)).as(text).isEqualTo(wire.treeContentChunk(text));
    }
    byte[] chunk = wire.contentChunk("a \"b\"");
    String event = new String(chunk, StandardCharsets.UTF_8);
    assertThat(event).startsWith("data: ").endsWith("\n\n");
    JsonNode json = Json.MAPPER.readTree(event.substring(6));
    assertThat(json.at("/choices/0/delta/content").asText()).isEqualTo("a \"b\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\ud800", "x\udc00y", "\ud83d"})
  void aLoneSurrogateFaresAsItDoesThroughTheTree(String text) {
    ChatWire wire = new ChatWire("id", 1L, "m", false);
    Throwable viaTree = catchThrowable(() -> wire.treeContentChunk(text));
    Throwable viaChunk = catchThrowable(() -> wire.contentChunk(text));
    if (viaTree == null) {
      assertThat(viaChunk).isNull();
      assertThat(wire.contentChunk(text)).isEqualTo(wire.treeContentChunk(text));
    } else {
      assertThat(viaChunk).isNotNull().hasSameClassAs(viaTree);
    }
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(4);
      if (kind == 0) {
        text.append((char) random.nextInt(0x80));
      } else if (kind == 1) {
        text.append((char) (0x80 + random.nextInt(0xd800 - 0x80)));
      } else if (kind == 2) {
        text.appendCodePoint(0x10000 + random.nextInt(0x100000));
      } else {
        text.append("\"\\/\n");
      }
    }
    return text.toString();
  }
}
