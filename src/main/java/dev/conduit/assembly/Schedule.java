package dev.conduit.assembly;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** The periodic tasks one module runs; the module cancels them all when it closes. */
final class Schedule {
  private final Vertx vertx;
  private final List<Long> timers = new ArrayList<>();

  Schedule(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs a blocking task (JDBC, files) every {@code periodMs} on a worker thread, never a loop. */
  void blocking(long periodMs, Runnable task) {
    timers.add(
        vertx.setPeriodic(
            periodMs,
            id ->
                vertx.executeBlocking(
                    () -> {
                      task.run();
                      return null;
                    },
                    false)));
  }

  /** Runs a non-blocking task on an event loop at once, then every {@code periodMs}. */
  void onLoop(long periodMs, Runnable task) {
    timers.add(vertx.setPeriodic(0, periodMs, id -> task.run()));
  }

  void cancelAll() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }
}
