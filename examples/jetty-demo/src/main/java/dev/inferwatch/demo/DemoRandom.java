package dev.inferwatch.demo;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The random sources of the demo's traffic generators. {@code DEMO_SEED} (a long) makes each stream
 * reproducible, and a fleet of demos started with different seeds sends different traffic; unset,
 * every run differs.
 *
 * <pre>{@code
 * RandomGenerator random = DemoRandom.stream(1); // one per thread: not thread-safe
 * }</pre>
 */
final class DemoRandom {

  private DemoRandom() {}

  /** A generator for one traffic thread; {@code stream} keeps the threads' sequences apart. */
  static RandomGenerator stream(int stream) {
    if (DemoServer.env("DEMO_SEED", null) == null) {
      return new SplittableRandom();
    }
    long seed = DemoServer.number("DEMO_SEED", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    // Distinct per stream, so the HTTP, chat and router threads do not move in lockstep.
    return new SplittableRandom(seed * 1_000_003L + stream);
  }
}
