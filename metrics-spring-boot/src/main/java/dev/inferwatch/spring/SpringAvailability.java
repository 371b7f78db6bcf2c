package dev.inferwatch.spring;

import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.health.HealthCheck;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.core.health.HealthRegistry;
import java.time.Duration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Boot's availability, mirrored in the kit's probes: the checks {@value #LIVENESS} and {@value
 * #READINESS} read {@link ApplicationAvailability} on every probe (so {@code /readyz} answers 503
 * while Boot refuses traffic, at start and when an application says so), the startup probe flips
 * when Boot marks the application live, and readiness turns down for good when the context closes
 * (Boot publishes {@link ReadinessState#REFUSING_TRAFFIC} first; load balancers drain).
 */
public final class SpringAvailability implements SmartApplicationListener, ApplicationContextAware {

  /** The liveness check that follows Boot's {@link LivenessState}. */
  public static final String LIVENESS = "liveness_state";

  /** The readiness check that follows Boot's {@link ReadinessState}. */
  public static final String READINESS = "readiness_state";

  private final HealthRegistry health;
  private ApplicationContext context;

  /** Registers the two checks over {@code availability} (none when it is {@code null}). */
  public SpringAvailability(Inferwatch inferwatch, ApplicationAvailability availability) {
    this.health = inferwatch.health();
    if (availability != null) {
      // TTL zero: the state is a field read, and a probe must see a change at once.
      health.register(
          LIVENESS,
          HealthGroup.LIVENESS,
          HealthCheck.of(() -> availability.getLivenessState() == LivenessState.CORRECT),
          HealthRegistry.DEFAULT_TIMEOUT,
          Duration.ZERO);
      health.register(
          READINESS,
          HealthGroup.READINESS,
          HealthCheck.of(
              () -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC),
          HealthRegistry.DEFAULT_TIMEOUT,
          Duration.ZERO);
    }
  }

  @Override
  public void setApplicationContext(ApplicationContext context) {
    this.context = context;
  }

  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
    return AvailabilityChangeEvent.class.isAssignableFrom(eventType)
        || ContextClosedEvent.class.isAssignableFrom(eventType);
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ContextClosedEvent closed) {
      // A child context (a management server on its own port) closing is not the application.
      if (context == null || closed.getApplicationContext() == context) {
        health.beginShutdown();
      }
    } else if (event instanceof AvailabilityChangeEvent<?> change
        && change.getState() == LivenessState.CORRECT) {
      health.markStarted();
    }
  }
}
