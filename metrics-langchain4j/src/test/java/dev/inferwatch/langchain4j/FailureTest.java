package dev.inferwatch.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureTest {

  static Stream<Arguments> failures() {
    String rateLimited = "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\"}}";
    String midStream =
        "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":\"model_error\"}}";
    return Stream.of(
        Arguments.of(
            new RateLimitException(new HttpException(429, rateLimited)), "429", true, "slow down"),
        Arguments.of(new RuntimeException(midStream), "model_error", false, "boom"),
        Arguments.of(
            new RuntimeException("{\"error\":{\"message\":\"x\",\"type\":\"server_error\"}}"),
            "server_error",
            false,
            "x"),
        Arguments.of(
            new UncheckedIOException("connection reset", new java.io.IOException("reset")),
            "UncheckedIOException",
            false,
            "connection reset"),
        Arguments.of(
            new TimeoutException("read timed out"), "TimeoutException", true, "read timed out"),
        Arguments.of(new RuntimeException("{not json"), "RuntimeException", false, "{not json"),
        Arguments.of(new HttpException(503, "busy"), "503", true, "busy"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void errorTypeAndLastErrorComeFromTheStatusTheErrorObjectOrTheClass(
      Throwable error, String type, boolean retryable, String message) {
    Failure failure = Failure.of(error);

    assertThat(failure.errorType()).isEqualTo(type);
    assertThat(failure.providerError().status()).isEqualTo(type);
    assertThat(failure.providerError().retryable()).isEqualTo(retryable);
    assertThat(failure.providerError().message()).isEqualTo(message);
    assertThat(failure.modelNotFound()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("notFound")
  void a404IsAModelNotFound(Throwable error) {
    assertThat(Failure.of(error).modelNotFound()).isTrue();
  }

  static Stream<Throwable> notFound() {
    return Stream.of(
        new ModelNotFoundException(new HttpException(404, "{}")),
        new HttpException(404, "no such path"),
        new ModelNotFoundException("gone"));
  }
}
