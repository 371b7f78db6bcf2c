package dev.inferwatch.servlet;

import java.util.HashSet;
import java.util.Set;

/** The live threads whose name starts with a prefix, to prove a servlet left none behind. */
final class LiveThreads {

  private LiveThreads() {}

  static Set<Thread> named(String prefix) {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(prefix)) {
        threads.add(t);
      }
    }
    return threads;
  }
}
