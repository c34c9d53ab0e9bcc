package dev.conduit.pipeline;

import io.vertx.core.Vertx;

/**
 * How long one request may wait for its answer to begin, over all its attempts and the backoffs
 * between them ({@code routing.deadlineMs}): without it, a hung upstream holds a caller for every
 * attempt's first-byte timeout in turn. Used on the request's event loop only.
 */
final class RequestDeadline {
  private final Vertx vertx;
  private final long limitMs;
  private final long endsAtNanos;
  private long timer;

  /** Starts the clock; {@code expired} runs once the deadline passes unless stopped first. */
  RequestDeadline(Vertx vertx, long limitMs, Runnable expired) {
    this.vertx = vertx;
    this.limitMs = limitMs;
    this.endsAtNanos = System.nanoTime() + limitMs * 1_000_000;
    this.timer =
        vertx.setTimer(
            limitMs,
            id -> {
              timer = -1;
              expired.run();
            });
  }

  long limitMs() {
    return limitMs;
  }

  /** Milliseconds left; 0 or less once passed. */
  long remainingMs() {
    return (endsAtNanos - System.nanoTime()) / 1_000_000;
  }

  /** The answer began (or the call ended): the deadline no longer applies. */
  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
