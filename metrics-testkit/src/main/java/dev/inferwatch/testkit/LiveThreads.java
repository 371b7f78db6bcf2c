package dev.inferwatch.testkit;

import java.util.HashSet;
import java.util.Set;

/** The live threads whose name starts with a prefix, to prove a servlet left none behind. */
public final class LiveThreads {

  private LiveThreads() {}

  /** The live threads whose name starts with {@code prefix}. */
  public static Set<Thread> named(String prefix) {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(prefix)) {
        threads.add(t);
      }
    }
    return threads;
  }
}
