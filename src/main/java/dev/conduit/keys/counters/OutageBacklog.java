package dev.conduit.keys.counters;

import dev.conduit.keys.counters.CounterOps.AdmitOp;
import dev.conduit.keys.counters.CounterOps.SettleOp;
import dev.conduit.keys.counters.CounterOps.Settled;
import dev.conduit.keys.counters.CounterOps.Window;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an instance counted on its own while Redis did not answer, waiting to be told to Redis:
 * settlements, replayed in order, and what local admissions added to each rate-limit window, added
 * to Redis's windows (so a window does not restart when Redis returns empty).
 *
 * <p>Thread-safe: the queue and the window carries are each guarded by themselves; {@link #replay}
 * is run by one caller at a time ({@link RedisCounters}' probe).
 */
final class OutageBacklog {
  private final CounterScripts scripts;
  private final RedisKeyNames names;
  private final SeedLookup seeds;

  /** Settlements to replay into Redis, oldest first; guarded by itself. */
  private final Deque<Replay> replays = new ArrayDeque<>();

  /**
   * What admissions counted locally in each rate-limit window, by the window's Redis key; guarded
   * by itself.
   */
  private final Map<String, WindowCarry> windowCarries = new HashMap<>();

  private final AtomicLong replaySequence = new AtomicLong();

  OutageBacklog(CounterScripts scripts, RedisKeyNames names, SeedLookup seeds) {
    this.scripts = scripts;
    this.names = names;
    this.seeds = seeds;
  }

  /** Remembers what a locally admitted request added to each of its windows. */
  void admittedLocally(AdmitOp op) {
    synchronized (windowCarries) {
      for (Window window : op.windows()) {
        windowCarries.merge(
            names.counter(op.owner(), window.id()),
            new WindowCarry(window.amount(), window.resetsAtMs(), op.nowMs()),
            WindowCarry::plus);
      }
    }
  }

  /** Queues a settlement applied locally, for Redis. */
  void settledLocally(SettleOp op) {
    synchronized (replays) {
      replays.addLast(new Replay(replaySequence.incrementAndGet(), op));
    }
  }

  /** Settlements made locally that Redis has not been told about yet. */
  int pendingReplays() {
    synchronized (replays) {
      return replays.size();
    }
  }

  boolean isEmpty() {
    synchronized (windowCarries) {
      if (!windowCarries.isEmpty()) {
        return false;
      }
    }
    return pendingReplays() == 0;
  }

  /** Replays the queued settlements, then carries the windows; fails when Redis does not answer. */
  Future<Void> replay() {
    return replayAll().compose(v -> carryWindows());
  }

  /**
   * Replays queued settlements in order. When Redis lost an account (it restarted empty), the
   * replay creates it from its seed, which already covers every cost recorded before the seed was
   * read: that account is then dropped from the replays queued before that moment, so no cost is
   * counted twice.
   */
  private Future<Void> replayAll() {
    Replay next;
    synchronized (replays) {
      next = replays.peekFirst();
    }
    if (next == null) {
      return Future.succeededFuture();
    }
    long coveredUpTo = replaySequence.get();
    return Seeding.run(
            next.op().accounts(),
            accounts -> scripts.settle(next.op().withAccounts(accounts)),
            seeds)
        .compose(
            result -> {
              synchronized (replays) {
                replays.pollFirst();
                if (result instanceof Settled settled) {
                  forgetSeeded(next.op(), settled.created(), coveredUpTo);
                }
              }
              return replayAll();
            });
  }

  private void forgetSeeded(SettleOp op, boolean[] created, long coveredUpTo) {
    Set<String> seeded = new HashSet<>();
    for (int j = 0; j < created.length; j++) {
      if (created[j]) {
        seeded.add(op.accounts().get(j).id());
      }
    }
    if (seeded.isEmpty()) {
      return;
    }
    List<Replay> kept = new ArrayList<>(replays.size());
    for (Replay replay : replays) {
      if (replay.sequence() > coveredUpTo) {
        kept.add(replay);
        continue;
      }
      SettleOp rest = replay.op().withoutAccounts(seeded);
      if (!rest.accounts().isEmpty() || rest.tokenWindow() != null) {
        kept.add(new Replay(replay.sequence(), rest));
      }
    }
    replays.clear();
    replays.addAll(kept);
  }

  /**
   * Adds the window counts made locally during the outage to Redis's (INCRBY, so counts made by
   * other instances meanwhile add up), kept until the window ends as the last admission saw it
   * (window ids name their start, so a window kept longer never counts for the next one).
   * Admissions counted locally while this runs are carried by the next probe.
   */
  private Future<Void> carryWindows() {
    Map<String, WindowCarry> carries;
    synchronized (windowCarries) {
      if (windowCarries.isEmpty()) {
        return Future.succeededFuture();
      }
      carries = new HashMap<>(windowCarries);
      windowCarries.clear();
    }
    List<Future<Response>> sent = new ArrayList<>();
    carries.forEach(
        (key, carry) ->
            sent.add(scripts.carry(key, carry.amount(), carry.resetsAtMs(), carry.asOfMs())));
    return Future.all(sent)
        .<Void>mapEmpty()
        .onFailure(
            failure -> {
              // Not known which went in: keep them all rather than lose them (a window may then
              // count a few requests twice, which errs on the side of the limit).
              synchronized (windowCarries) {
                carries.forEach((key, carry) -> windowCarries.merge(key, carry, WindowCarry::plus));
              }
            });
  }

  /** Requests counted locally in one window, and when the window ends. */
  private record WindowCarry(long amount, long resetsAtMs, long asOfMs) {
    WindowCarry plus(WindowCarry other) {
      return new WindowCarry(
          amount + other.amount,
          Math.max(resetsAtMs, other.resetsAtMs),
          Math.max(asOfMs, other.asOfMs));
    }
  }

  /** A settlement waiting to be replayed, numbered in the order it was queued. */
  private record Replay(long sequence, SettleOp op) {}
}
