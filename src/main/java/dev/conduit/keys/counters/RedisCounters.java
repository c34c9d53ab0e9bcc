package dev.conduit.keys.counters;

import dev.conduit.keys.counters.CounterOps.Account;
import dev.conduit.keys.counters.CounterOps.AdmitOp;
import dev.conduit.keys.counters.CounterOps.AdmitResult;
import dev.conduit.keys.counters.CounterOps.Admitted;
import dev.conduit.keys.counters.CounterOps.NeedSeeds;
import dev.conduit.keys.counters.CounterOps.OverBudget;
import dev.conduit.keys.counters.CounterOps.RateLimited;
import dev.conduit.keys.counters.CounterOps.SettleOp;
import dev.conduit.keys.counters.CounterOps.SettleResult;
import dev.conduit.keys.counters.CounterOps.Settled;
import dev.conduit.keys.counters.CounterOps.Store;
import dev.conduit.keys.counters.CounterOps.Window;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters shared by every gateway instance through Redis: each admission and settlement is one Lua
 * script, so it is atomic across instances. A local mirror ({@link LocalCounters}) follows the
 * shared spend and this instance's open reservations.
 *
 * <p>When Redis does not answer (error or timeout), the instance switches to the mirror at once,
 * logs it, and reports it (health turns {@code degraded}). Settlements made meanwhile are queued;
 * once Redis answers again they are replayed into it, and only then does the instance use Redis
 * again. During an outage each instance enforces rate limits with its own counts; what it counted
 * is added to Redis's windows when Redis is back (before the instance uses Redis again), so a
 * window does not restart when Redis returns empty.
 */
public final class RedisCounters implements Counters {
  private static final Logger log = LoggerFactory.getLogger(RedisCounters.class);
  private static final long PROBE_MS = 1_000;

  private final Vertx vertx;
  private final Redis redis;
  private final String prefix;
  private final long timeoutMs;
  private final LocalCounters local;
  private final SeedLookup seeds;
  private final Consumer<String> availability;
  private final Script admit = Script.load("/redis/admit.lua");
  private final Script settle = Script.load("/redis/settle.lua");

  /** Settlements to replay into Redis, oldest first; guarded by itself. */
  private final Deque<Replay> replays = new ArrayDeque<>();

  /**
   * What admissions counted locally added to each rate-limit window while Redis was unreachable, by
   * window id; carried into Redis when it is back, so the window does not restart. Guarded by
   * itself.
   */
  private final Map<String, WindowCarry> windowCarries = new HashMap<>();

  private final AtomicLong replaySequence = new AtomicLong();
  private final AtomicBoolean probing = new AtomicBoolean();
  private final long timer;
  private volatile boolean up = true;

  /**
   * @param prefix prepended to every Redis key
   * @param availability told {@code null} when Redis serves the counters again, or the reason it
   *     does not
   */
  public RedisCounters(
      Vertx vertx,
      Redis redis,
      String prefix,
      long timeoutMs,
      LocalCounters local,
      SeedLookup seeds,
      Consumer<String> availability) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
    this.timeoutMs = timeoutMs;
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
    return Seeding.run(op.accounts(), accounts -> admitInRedis(op.withAccounts(accounts)), seeds)
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
                synchronized (windowCarries) {
                  for (Window window : op.windows()) {
                    windowCarries.merge(
                        window.id(),
                        new WindowCarry(window.amount(), window.resetsAtMs(), op.nowMs()),
                        WindowCarry::plus);
                  }
                }
              }
            });
  }

  @Override
  public Future<SettleResult> settle(SettleOp op, Store reservedIn) {
    if (reservedIn == Store.LOCAL || !up) {
      return settleLocallyAndQueue(op, reservedIn);
    }
    return Seeding.run(op.accounts(), accounts -> settleInRedis(op.withAccounts(accounts)), seeds)
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
    synchronized (replays) {
      return replays.size();
    }
  }

  private boolean carriesPending() {
    synchronized (windowCarries) {
      return !windowCarries.isEmpty();
    }
  }

  /**
   * Applies a settlement to the local counters and queues it for Redis. A reservation made in Redis
   * is released there by the replay; one made locally never reached Redis.
   */
  private Future<SettleResult> settleLocallyAndQueue(SettleOp op, Store reservedIn) {
    return local
        .settle(op, Store.LOCAL)
        .onSuccess(
            result -> {
              synchronized (replays) {
                replays.addLast(
                    new Replay(
                        replaySequence.incrementAndGet(),
                        reservedIn == Store.LOCAL ? op.withoutReservation() : op));
              }
            });
  }

  private void unreachable(Throwable failure) {
    if (up) {
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

  /** Runs every second: brings Redis back into use once it answers, then replays settlements. */
  private void recoverOrReplay() {
    if ((up && pendingReplays() == 0 && !carriesPending()) || !probing.compareAndSet(false, true)) {
      return;
    }
    Future<Void> ready = up ? Future.succeededFuture() : send(Request.cmd(Command.PING)).mapEmpty();
    ready
        .compose(v -> replayAll())
        .compose(v -> carryWindows())
        .onSuccess(
            v -> {
              if (!up) {
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
        (id, carry) ->
            sent.add(
                send(
                    Request.cmd(Command.EVAL)
                        .arg(
                            "local n = redis.call('INCRBY', KEYS[1], ARGV[1]) "
                                + "redis.call('PEXPIRE', KEYS[1], ARGV[2]) return n")
                        .arg(1)
                        .arg(prefix + id)
                        .arg(carry.amount())
                        .arg(ttl(carry.resetsAtMs(), carry.asOfMs())))));
    return Future.all(sent)
        .<Void>mapEmpty()
        .onFailure(
            failure -> {
              // Not known which went in: keep them all rather than lose them (a window may then
              // count a few requests twice, which errs on the side of the limit).
              synchronized (windowCarries) {
                carries.forEach((id, carry) -> windowCarries.merge(id, carry, WindowCarry::plus));
              }
            });
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
            accounts -> settleInRedis(next.op().withAccounts(accounts)),
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

  private Future<AdmitResult> admitInRedis(AdmitOp op) {
    List<Window> windows = op.windows();
    List<Account> accounts = op.accounts();
    List<Object> args = new ArrayList<>();
    args.add(windows.size() + 2 * accounts.size());
    windows.forEach(window -> args.add(prefix + window.id()));
    accounts.forEach(
        account -> {
          args.add(prefix + account.id());
          args.add(prefix + account.id() + ":open");
        });
    args.addAll(
        List.of(
            op.nowMs(),
            windows.size(),
            accounts.size(),
            op.reservationId(),
            op.reserveNanos(),
            op.reservationExpiresAtMs()));
    windows.forEach(
        window ->
            args.addAll(
                List.of(window.limit(), window.amount(), ttl(window.resetsAtMs(), op.nowMs()))));
    accounts.forEach(
        account ->
            args.addAll(
                List.of(
                    account.limitNanos(),
                    account.seedNanos(),
                    ttl(account.expiresAtMs(), op.nowMs()))));
    return run(admit, args)
        .map(
            reply -> {
              String outcome = reply.get(0).toString();
              return switch (outcome) {
                case "ok" -> {
                  long[] counts = new long[windows.size()];
                  for (int i = 0; i < counts.length; i++) {
                    counts[i] = number(reply.get(1 + i));
                  }
                  long[] spent = new long[accounts.size()];
                  long[] reserved = new long[accounts.size()];
                  for (int j = 0; j < spent.length; j++) {
                    spent[j] = number(reply.get(1 + counts.length + 2 * j));
                    reserved[j] = number(reply.get(2 + counts.length + 2 * j));
                  }
                  yield new Admitted(counts, spent, reserved, Store.REDIS);
                }
                case "rate" ->
                    new RateLimited((int) number(reply.get(1)) - 1, number(reply.get(2)));
                case "budget" ->
                    new OverBudget(
                        (int) number(reply.get(1)) - 1, number(reply.get(2)), number(reply.get(3)));
                case "seed" -> new NeedSeeds(indexes(reply));
                default -> throw new IllegalStateException("unexpected admit reply " + reply);
              };
            });
  }

  private Future<SettleResult> settleInRedis(SettleOp op) {
    List<Account> accounts = op.accounts();
    Window tokens = op.tokenWindow();
    List<Object> args = new ArrayList<>();
    args.add(2 * accounts.size() + (tokens == null ? 0 : 1));
    accounts.forEach(
        account -> {
          args.add(prefix + account.id());
          args.add(prefix + account.id() + ":open");
        });
    if (tokens != null) {
      args.add(prefix + tokens.id());
    }
    args.addAll(
        List.of(
            op.reservationId() == null ? "" : op.reservationId(),
            op.actualNanos(),
            accounts.size(),
            op.tokenDelta(),
            tokens == null ? 0 : 1));
    accounts.forEach(
        account ->
            args.addAll(List.of(account.seedNanos(), ttl(account.expiresAtMs(), op.nowMs()))));
    return run(settle, args)
        .map(
            reply -> {
              String outcome = reply.get(0).toString();
              if (outcome.equals("seed")) {
                return new NeedSeeds(indexes(reply));
              }
              long[] spent = new long[accounts.size()];
              boolean[] created = new boolean[spent.length];
              for (int j = 0; j < spent.length; j++) {
                spent[j] = number(reply.get(1 + 2 * j));
                created[j] = number(reply.get(2 + 2 * j)) == 1;
              }
              return new Settled(spent, created);
            });
  }

  /** EVALSHA, and EVAL once when this Redis has not seen the script yet. */
  private Future<Response> run(Script script, List<Object> args) {
    return send(script.request(Command.EVALSHA, args))
        .recover(
            failure -> {
              if (failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")) {
                return send(script.request(Command.EVAL, args));
              }
              return Future.failedFuture(failure);
            });
  }

  private Future<Response> send(Request request) {
    return redis.send(request).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /**
   * How long Redis keeps a counter: until {@code expiresAtMs} by the gateway's clock, plus a
   * second. Relative, so a difference between the gateway's and Redis's clocks does not matter.
   */
  private static long ttl(long expiresAtMs, long nowMs) {
    return Math.max(0, expiresAtMs - nowMs) + 1_000;
  }

  private static long number(Response response) {
    return Long.parseLong(response.toString());
  }

  private static int[] indexes(Response reply) {
    int[] indexes = new int[reply.size() - 1];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = (int) number(reply.get(1 + i)) - 1;
    }
    return indexes;
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

  /** A Lua script shipped in the jar, called by its SHA-1. */
  private record Script(String source, String sha) {
    static Script load(String resource) {
      try (InputStream in = RedisCounters.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the classpath");
        }
        String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Script(
            source,
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is always available", e);
      }
    }

    /** The script called by its hash ({@code EVALSHA}) or by its text ({@code EVAL}). */
    Request request(Command command, List<Object> args) {
      Request request = Request.cmd(command).arg(command == Command.EVAL ? source : sha);
      for (Object arg : args) {
        if (arg instanceof Number number) {
          request.arg(number.longValue());
        } else {
          request.arg(String.valueOf(arg));
        }
      }
      return request;
    }
  }
}
