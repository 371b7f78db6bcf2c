package dev.inferwatch.core;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What {@link Inferwatch#close()} stops, in reverse order of registration; never throws. */
final class Closer {

  private static final Logger log = LoggerFactory.getLogger(Closer.class);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  synchronized void add(AutoCloseable resource) {
    resources.push(resource);
  }

  /** Closes everything registered so far, each once; a failure is logged and the rest go on. */
  void closeAll() {
    while (true) {
      AutoCloseable next;
      synchronized (this) {
        next = resources.poll();
      }
      if (next == null) {
        return;
      }
      try {
        next.close();
      } catch (Exception e) {
        log.warn("Inferwatch could not close {}: {}", next, e.toString());
      }
    }
  }
}
