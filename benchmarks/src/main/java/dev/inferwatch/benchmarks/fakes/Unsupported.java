package dev.inferwatch.benchmarks.fakes;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Supplier;

/** A proxy whose every method throws: the delegate of the fakes, so an unexpected call shows. */
public final class Unsupported {

  private Unsupported() {}

  /** A {@code type} whose every method throws. */
  public static <T> T of(Class<T> type) {
    return except(type, Map.of());
  }

  /** The same, but the methods named in {@code answers} return what their supplier gives. */
  public static <T> T except(Class<T> type, Map<String, Supplier<Object>> answers) {
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              Supplier<Object> answer = answers.get(method.getName());
              if (answer != null) {
                return answer.get();
              }
              throw new UnsupportedOperationException(
                  type.getSimpleName() + "." + method.getName() + " is not faked");
            });
    return type.cast(proxy);
  }
}
