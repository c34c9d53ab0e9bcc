package dev.conduit.keys.counters;

import dev.conduit.keys.counters.CounterOps.AdmitOp;
import dev.conduit.keys.counters.CounterOps.AdmitResult;
import dev.conduit.keys.counters.CounterOps.Admitted;
import dev.conduit.keys.counters.CounterOps.SettleOp;
import dev.conduit.keys.counters.CounterOps.SettleResult;
import dev.conduit.keys.counters.CounterOps.Settled;
import dev.conduit.keys.counters.CounterOps.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters shared by every gateway instance through Redis (standalone, Cluster or behind Sentinel):
 * each admission and settlement is one Lua script ({@link CounterScripts}), so it is atomic across
 * instances. A local mirror ({@link LocalCounters}) follows the shared spend and this instance's
 * open reservations.
 *
 * <p>When Redis does not answer (error, timeout, or a write no replica confirmed when {@code
 * redis.replicaAcks} asks for it), the instance switches to the mirror at once, logs it, and
 * reports it (health turns {@code degraded}). What it counts meanwhile is kept in an {@link
 * OutageBacklog}; once Redis answers again the backlog is replayed into it, and only then does the
 * instance use Redis again. During an outage each instance enforces limits with its own counts.
 *
 * <p>Thread-safe: called from any event loop; the up/down switch is a volatile flag, and one probe
 * at a time (a one-second timer) brings Redis back.
 */
public final class RedisCounters implements Counters {
  private static final Logger log = LoggerFactory.getLogger(RedisCounters.class);
  private static final long PROBE_MS = 1_000;

  private final Vertx vertx;
  private final ScriptRunner runner;
  private final CounterScripts scripts;
  private final OutageBacklog backlog;
  private final LocalCounters local;
  private final SeedLookup seeds;
  private final Consumer<String> availability;
  private final AtomicBoolean probing = new AtomicBoolean();
  private final long timer;
  private volatile boolean up = true;

  /**
   * @param prefix prepended to every Redis key
   * @param replicaAcks replicas that must confirm each counter write ({@code WAIT}); 0 for none
   * @param availability told {@code null} when Redis serves the counters again, or the reason it
   *     does not
   */
  public RedisCounters(
      Vertx vertx,
      Redis redis,
      String prefix,
      long timeoutMs,
      int replicaAcks,
      LocalCounters local,
      SeedLookup seeds,
      Consumer<String> availability) {
    this.vertx = vertx;
    this.runner = new ScriptRunner(redis, timeoutMs, replicaAcks);
    RedisKeyNames names = new RedisKeyNames(prefix);
    this.scripts = new CounterScripts(runner, names);
    this.backlog = new OutageBacklog(scripts, names, seeds);
    this.local = local;
    this.seeds = seeds;
    this.availability = availability;
    this.timer = vertx.setPeriodic(PROBE_MS, id -> recoverOrReplay());
  }

  @Override
  public Future<AdmitResult> admit(AdmitOp op) {
    if (!up) {
      return admitLocally(op);
    }
    return Seeding.run(op.accounts(), accounts -> scripts.admit(op.withAccounts(accounts)), seeds)
        .compose(
            result -> {
              if (result instanceof Admitted admitted) {
                local.mirrorAdmitted(op, admitted.spent());
              }
              return Future.succeededFuture(result);
            },
            failure -> {
              if (failure instanceof SeedUnavailable) {
                return Future.failedFuture(failure);
              }
              unreachable(failure);
              return admitLocally(op);
            });
  }

  /** Admits with the local counters and remembers what it added to each window, for Redis. */
  private Future<AdmitResult> admitLocally(AdmitOp op) {
    return local
        .admit(op)
        .onSuccess(
            result -> {
              if (result instanceof Admitted) {
                backlog.admittedLocally(op);
              }
            });
  }

  @Override
  public Future<SettleResult> settle(SettleOp op, Store reservedIn) {
    if (reservedIn == Store.LOCAL || !up) {
      return settleLocallyAndQueue(op, reservedIn);
    }
    return Seeding.run(op.accounts(), accounts -> scripts.settle(op.withAccounts(accounts)), seeds)
        .compose(
            result -> {
              if (result instanceof Settled settled) {
                local.mirrorSettled(op, settled.spent());
              }
              return Future.succeededFuture(result);
            },
            failure -> {
              if (!(failure instanceof SeedUnavailable)) {
                unreachable(failure);
              }
              return settleLocallyAndQueue(op, reservedIn);
            });
  }

  @Override
  public String mode() {
    return up ? "redis" : "local-fallback";
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    int left = pendingReplays();
    if (left > 0) {
      log.warn(
          "{} settlements made while Redis was unreachable were not replayed into it "
              + "(the database has their spend)",
          left);
    }
  }

  /** Settlements made locally that Redis has not been told about yet. */
  public int pendingReplays() {
    return backlog.pendingReplays();
  }

  /**
   * Applies a settlement to the local counters and queues it for Redis. A reservation made in Redis
   * is released there by the replay; one made locally never reached Redis.
   */
  private Future<SettleResult> settleLocallyAndQueue(SettleOp op, Store reservedIn) {
    return local
        .settle(op, Store.LOCAL)
        .onSuccess(
            result ->
                backlog.settledLocally(reservedIn == Store.LOCAL ? op.withoutReservation() : op));
  }

  private void unreachable(Throwable failure) {
    if (up) {
      // Before any admission can take the local path: replies still on their way then add to the
      // mirror rather than overwrite what is counted locally.
      local.detached(true);
      up = false;
      String reason =
          failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
      log.warn(
          "Redis is unreachable ({}): budgets and rate limits now use this instance's own "
              + "counters until it answers again",
          reason);
      availability.accept(reason);
    }
  }

  /** Runs every second: brings Redis back into use once it answers, then replays the backlog. */
  private void recoverOrReplay() {
    if ((up && backlog.isEmpty()) || !probing.compareAndSet(false, true)) {
      return;
    }
    Future<Void> ready =
        up ? Future.succeededFuture() : runner.send(Request.cmd(Command.PING)).mapEmpty();
    ready
        .compose(v -> backlog.replay())
        .onSuccess(
            v -> {
              if (!up) {
                local.detached(false);
                up = true;
                log.info("Redis answers again: budgets and rate limits use the shared counters");
                availability.accept(null);
              }
            })
        .onFailure(
            failure -> {
              if (up) {
                unreachable(failure);
              } else {
                log.debug("Redis is still unavailable: {}", failure.getMessage());
              }
            })
        .onComplete(v -> probing.set(false));
  }
}
