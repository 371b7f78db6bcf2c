package dev.inferwatch.bootdemo;

import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Routes with path variables: each is one route label, whatever the values. */
@RestController
class ShopController {

  @GetMapping("/products/{slug}")
  Map<String, String> product(@PathVariable("slug") String slug) {
    return Map.of("slug", slug, "name", slug.replace('-', ' '));
  }

  @GetMapping("/users/{user}/orders/{order}")
  ResponseEntity<Map<String, String>> order(
      @PathVariable("user") String user, @PathVariable("order") String order) {
    if (order.startsWith("missing")) {
      return ResponseEntity.notFound().build();
    }
    return ResponseEntity.ok(Map.of("user", user, "order", order, "state", "shipped"));
  }
}
