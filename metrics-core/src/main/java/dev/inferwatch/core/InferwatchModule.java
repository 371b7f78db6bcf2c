package dev.inferwatch.core;

import java.util.Map;

/**
 * An optional part of the kit that lives in its own jar (the GPU module) and joins an {@link
 * Inferwatch} when it is on the classpath, through {@link java.util.ServiceLoader}, or explicitly
 * through {@link Inferwatch.Builder#module}.
 *
 * <p>Implementers: {@link #start} registers families and starts threads and must not throw for a
 * missing dependency (report it through {@link #status()} instead); {@link #status()} is called on
 * probe and snapshot requests and must be fast and never block (read a snapshot).
 */
public interface InferwatchModule extends AutoCloseable {

  /** A short lower-case name, such as {@code gpu}: the key in {@code /health/{name}}. */
  String name();

  /** Joins {@code iw}: registers families in its registry, starts what it needs. */
  void start(Inferwatch iw);

  /**
   * A JSON-friendly view of the module's state (maps, lists, strings, numbers, booleans) with at
   * least {@code "available"} (boolean); served by {@code /health/{name}} and {@code
   * /metrics.json}.
   */
  Map<String, Object> status();

  /** Stops the module's threads and releases native resources; idempotent. */
  @Override
  default void close() {}
}
