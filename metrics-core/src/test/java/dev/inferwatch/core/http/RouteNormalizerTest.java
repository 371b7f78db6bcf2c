package dev.inferwatch.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.internal.LabelGuard;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteNormalizerTest {

  private final RouteNormalizer routes =
      RouteNormalizer.builder()
          .template("/v1/models/{id}")
          .template("/v1/models/{id}/versions/{version}")
          .prefix("/static")
          .build();

  @Test
  void explicitTemplatesWinAndAreMarkedTemplated() {
    Route route = routes.normalize("/v1/models/llama-3-8b");
    assertThat(route.name()).isEqualTo("/v1/models/{id}");
    assertThat(route.templated()).isTrue();
    assertThat(routes.normalize("/v1/models/x/versions/7").name())
        .isEqualTo("/v1/models/{id}/versions/{version}");
  }

  @Test
  void prefixesFoldEverythingBeneathThem() {
    assertThat(routes.normalize("/static/css/site.css").name()).isEqualTo("/static/**");
    assertThat(routes.normalize("/static").name()).isEqualTo("/static/**");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/users/42/orders, /users/{id}/orders",
    "/users/123e4567-e89b-12d3-a456-426614174000, /users/{id}",
    "/blobs/deadbeef01, /blobs/{id}",
    "/tokens/aGVsbG8gd29ybGQgMTIz, /tokens/{id}",
    "/orders/order_98231, /orders/{id}",
    "/search/hello%20world, /search/{id}",
    "/a/../b, /a/{dot}/b",
    "/health/check, /health/check",
    "/v2/chat, /v2/chat",
    "/, /",
    "'', /",
    "/trailing/, /trailing",
    "/users/42/, /users/{id}",
    "/matrix;jsessionid=ABC123, /matrix",
    "/users/1;v=2/orders;x=y, /users/{id}/orders",
  })
  void replacesIdLikeSegments(String path, String expected) {
    assertThat(routes.normalize(path).name()).isEqualTo(expected);
    assertThat(routes.normalize(path).templated()).isFalse();
  }

  @Test
  void foldsATrailingSlashForEveryKindOfRoute() {
    assertThat(routes.normalize("/v1/models/7/").name()).isEqualTo("/v1/models/{id}");
    assertThat(routes.normalize("/v1/models/7/").templated()).isTrue();
    assertThat(routes.normalize("/predict/").name()).isEqualTo(routes.normalize("/predict").name());
    assertThat(routes.explicit("/api/{tenant}/items/").name()).isEqualTo("/api/{tenant}/items");
    assertThat(routes.explicit("/").name()).isEqualTo("/");
    assertThat(routes.normalize("/").name()).isEqualTo("/");
  }

  @Test
  void overLongSegmentsAndNonAsciiBecomeIds() {
    assertThat(routes.normalize("/files/" + "x".repeat(500)).name()).isEqualTo("/files/{id}");
    assertThat(routes.normalize("/caf\u00e9/menu").name()).isEqualTo("/{id}/menu");
    assertThat(routes.normalize("/bad/\ufffd\ufffd").name()).isEqualTo("/bad/{id}");
  }

  @Test
  void deepPathsAreCutAfterTwelveSegments() {
    String deep = "/a".repeat(30);
    assertThat(routes.normalize(deep).name()).isEqualTo("/a".repeat(12) + "/**");
  }

  @Test
  void cacheNeverGrowsPastItsBound() {
    RouteNormalizer small = RouteNormalizer.builder().cacheSize(100).build();
    for (int i = 0; i < 10_000; i++) {
      small.normalize("/p/" + UUID.randomUUID() + "/" + i);
    }
    assertThat(small.cachedPaths()).isLessThanOrEqualTo(100);
  }

  @Test
  void cachedLookupsReturnTheSameRoute() {
    assertThat(routes.normalize("/users/1/orders")).isSameAs(routes.normalize("/users/1/orders"));
  }

  @Test
  void hostSuppliedRoutesAreTemplatedAndClipped() {
    Route route = routes.explicit("/api/{tenant}/items");
    assertThat(route.templated()).isTrue();
    assertThat(route.name()).isEqualTo("/api/{tenant}/items");
    assertThat(routes.explicit("/" + "y".repeat(1000)).name()).hasSize(LabelGuard.MAX_VALUE_LENGTH);
  }

  @Test
  void rejectsMalformedConfigurationWithTheBadValue() {
    assertThatThrownBy(() -> RouteNormalizer.builder().template("no-slash"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-slash");
    assertThatThrownBy(() -> RouteNormalizer.builder().template("/a/**/b"))
        .hasMessageContaining("/a/**/b");
    assertThatThrownBy(() -> RouteNormalizer.builder().maxRoutes(0)).hasMessageContaining("0");
  }
}
