package dev.conduit.testing;

import java.util.concurrent.Callable;

/**
 * Waits for something the gateway does in the background (a log row written, a cache refreshed).
 * Polls until the condition holds, failing only after a generous limit: the test asserts the
 * outcome, never how fast it came.
 */
public final class Eventually {
  private static final long LIMIT_MS = 30_000;

  private Eventually() {}

  public static <T> T await(String what, Callable<T> probe, java.util.function.Predicate<T> done)
      throws Exception {
    return await(what, java.time.Duration.ofMillis(LIMIT_MS), probe, done);
  }

  /** With a longer limit, for what starts a process of its own (a JVM, a server). */
  public static <T> T await(
      String what,
      java.time.Duration limit,
      Callable<T> probe,
      java.util.function.Predicate<T> done)
      throws Exception {
    long deadline = System.currentTimeMillis() + limit.toMillis();
    T last = null;
    Exception lastError = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        last = probe.call();
        if (done.test(last)) {
          return last;
        }
      } catch (Exception e) {
        lastError = e;
      }
      Thread.sleep(50);
    }
    AssertionError failure =
        new AssertionError("Gave up waiting for " + what + "; last value: " + last);
    if (lastError != null) {
      failure.initCause(lastError);
    }
    throw failure;
  }
}
