package dev.conduit.cache;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory tier's executor for Caffeine's upkeep: one daemon thread that, woken by the first task
 * handed over, waits a short window and then runs every task handed over meanwhile. Caffeine asks
 * for upkeep after nearly every store; run at once, each request woke a thread (a futex round trip
 * and a timed-queue insert on the event loop per store). Idle, the thread is parked and costs
 * nothing. Tasks never run on the caller's thread, so never on an event loop.
 */
final class UpkeepThread implements Executor {
  private static final Logger log = LoggerFactory.getLogger(UpkeepThread.class);

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final long windowNanos;
  private final Thread thread;

  UpkeepThread(String name, long windowMicros) {
    this.windowNanos = TimeUnit.MICROSECONDS.toNanos(windowMicros);
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (!signalled.get() && !signalled.getAndSet(true)) {
      LockSupport.unpark(thread);
    }
  }

  private void loop() {
    while (true) {
      while (!signalled.get()) {
        LockSupport.park(this);
      }
      sleepWindow();
      // Cleared before draining: a task added after this line signals again, one added before it
      // is drained below, so none is left waiting in the queue.
      signalled.set(false);
      for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.warn("A response cache upkeep task failed", e);
        }
      }
    }
  }

  /** The window in which later tasks join this run (parkNanos may return early: loop on time). */
  private void sleepWindow() {
    long deadline = System.nanoTime() + windowNanos;
    for (long left = windowNanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
    }
  }
}
