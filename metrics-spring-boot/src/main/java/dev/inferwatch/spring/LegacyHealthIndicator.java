package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.health.CheckStatus;
import dev.inferwatch.core.health.HealthReport;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.util.ClassUtils;

/**
 * Boot 3's {@code org.springframework.boot.actuate.health.HealthIndicator} over the kit's checks,
 * built through reflection: the starter compiles against Boot 4, whose health API lives in another
 * package, and one jar serves both. The two APIs have the same shape ({@code
 * Health.status(code).withDetails(map).build()}), so only the class names differ.
 */
final class LegacyHealthIndicator implements FactoryBean<Object> {

  static final String TYPE = "org.springframework.boot.actuate.health.HealthIndicator";
  private static final String HEALTH = "org.springframework.boot.actuate.health.Health";

  private final Inferwatch inferwatch;
  private final ClassLoader loader = LegacyHealthIndicator.class.getClassLoader();

  LegacyHealthIndicator(Inferwatch inferwatch) {
    this.inferwatch = inferwatch;
  }

  @Override
  public Class<?> getObjectType() {
    return ClassUtils.resolveClassName(TYPE, loader);
  }

  @Override
  public Object getObject() {
    Class<?> type = getObjectType();
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("health") && method.getParameterCount() == 0) {
            return health();
          }
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          return switch (method.getName()) {
            case "toString" -> "InferwatchHealthIndicator";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.toString());
          };
        };
    return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
  }

  /** {@code Health.status("UP" or "DOWN").withDetails(details).build()} of Boot 3. */
  private Object health() throws ReflectiveOperationException {
    HealthReport report = inferwatch.health().checkAll();
    Class<?> healthType = ClassUtils.resolveClassName(HEALTH, loader);
    Object builder = healthType.getMethod("status", String.class).invoke(null, report.status());
    Method withDetails = builder.getClass().getMethod("withDetails", Map.class);
    withDetails.invoke(builder, details(report));
    return builder.getClass().getMethod("build").invoke(builder);
  }

  /** Each check by name: status, group, reason when down; the same details on Boot 3 and 4. */
  static Map<String, Object> details(HealthReport report) {
    Map<String, Object> details = new LinkedHashMap<>();
    for (Map.Entry<String, CheckStatus> entry : report.checks().entrySet()) {
      CheckStatus check = entry.getValue();
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("status", check.up() ? "UP" : "DOWN");
      view.put("group", check.group().label());
      if (check.reason() != null) {
        view.put("reason", check.reason());
      }
      details.put(entry.getKey(), view);
    }
    return details;
  }
}
