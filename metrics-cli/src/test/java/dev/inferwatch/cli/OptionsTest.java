package dev.inferwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void readsCommandUrlAndOptions() {
    Options o =
        Options.parse(new String[] {"top", "localhost:8080", "--once", "--interval", "0.5"}, null);
    assertThat(o.command()).isEqualTo("top");
    assertThat(o.base().toString()).isEqualTo("http://localhost:8080/");
    assertThat(o.once()).isTrue();
    assertThat(o.interval()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.authorization()).isNull();
  }

  @Test
  void authIsBasicWithAColonElseBearerAndTheEnvironmentIsTheDefault() {
    assertThat(
            Options.parse(new String[] {"check", "http://h", "--auth", "u:p"}, null)
                .authorization())
        .isEqualTo("Basic dTpw");
    assertThat(
            Options.parse(new String[] {"check", "http://h", "--auth=tok"}, null).authorization())
        .isEqualTo("Bearer tok");
    assertThat(Options.parse(new String[] {"check", "http://h"}, "envtok").authorization())
        .isEqualTo("Bearer envtok");
  }

  @Test
  void mistakesSayWhatIsWrong() {
    assertThatThrownBy(() -> Options.parse(new String[] {"tap", "http://h"}, null))
        .hasMessage("unknown command tap");
    assertThatThrownBy(() -> Options.parse(new String[] {"top"}, null))
        .hasMessageContaining("needs the app's URL");
    assertThatThrownBy(
            () -> Options.parse(new String[] {"top", "http://h", "--interval", "0"}, null))
        .hasMessageContaining("--interval must be");
    assertThatThrownBy(() -> Options.parse(new String[] {"top", "ftp://h"}, null))
        .hasMessageContaining("not an http(s) URL");
  }
}
