package dev.inferwatch.benchmarks;

import java.lang.reflect.Proxy;

/** A proxy whose every method throws: the delegate of the fakes, so an unexpected call shows. */
final class Unsupported {

  private Unsupported() {}

  static <T> T of(Class<T> type) {
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              throw new UnsupportedOperationException(
                  type.getSimpleName() + "." + method.getName() + " is not faked");
            });
    return type.cast(proxy);
  }
}
