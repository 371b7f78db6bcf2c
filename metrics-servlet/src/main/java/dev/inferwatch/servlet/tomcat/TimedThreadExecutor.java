package dev.inferwatch.servlet.tomcat;

import dev.inferwatch.servlet.internal.Arrivals;
import org.apache.catalina.core.StandardThreadExecutor;

/**
 * Tomcat's standard connector thread pool, remembering when each task was queued: a request that
 * waited for a thread is timed from when its connection became readable, not from when a thread
 * finally read it. Under overload that wait is most of what a client sees.
 */
public class TimedThreadExecutor extends StandardThreadExecutor {

  @Override
  public void execute(Runnable command) {
    super.execute(Arrivals.queued(command));
  }
}
