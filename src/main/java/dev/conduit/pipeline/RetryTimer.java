package dev.conduit.pipeline;

import io.vertx.core.Vertx;

/**
 * Waits out a retry backoff without blocking: runs a task later on the calling event loop. Tests
 * replace it to record the delays asked for instead of waiting them.
 */
@FunctionalInterface
public interface RetryTimer {
  RetryTimer VERTX =
      (vertx, delayMs, task) -> vertx.setTimer(Math.max(1, delayMs), id -> task.run());

  void schedule(Vertx vertx, long delayMs, Runnable task);
}
