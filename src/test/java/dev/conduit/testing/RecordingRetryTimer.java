package dev.conduit.testing;

import dev.conduit.pipeline.RetryTimer;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A retry timer that records each backoff the gateway asks for and runs the retry at once, so tests
 * check the delays chosen without waiting for them.
 */
public final class RecordingRetryTimer implements RetryTimer {
  private final List<Long> delays = new CopyOnWriteArrayList<>();

  @Override
  public void schedule(Vertx vertx, long delayMs, Runnable task) {
    delays.add(delayMs);
    vertx.runOnContext(v -> task.run());
  }

  public List<Long> delays() {
    return List.copyOf(delays);
  }

  public void clear() {
    delays.clear();
  }
}
