package dev.conduit.keys.counters;

import dev.conduit.keys.counters.CounterOps.Account;
import dev.conduit.keys.counters.CounterOps.AdmitOp;
import dev.conduit.keys.counters.CounterOps.AdmitResult;
import dev.conduit.keys.counters.CounterOps.Admitted;
import dev.conduit.keys.counters.CounterOps.NeedSeeds;
import dev.conduit.keys.counters.CounterOps.OverBudget;
import dev.conduit.keys.counters.CounterOps.Owner;
import dev.conduit.keys.counters.CounterOps.RateLimited;
import dev.conduit.keys.counters.CounterOps.SettleOp;
import dev.conduit.keys.counters.CounterOps.SettleResult;
import dev.conduit.keys.counters.CounterOps.Settled;
import dev.conduit.keys.counters.CounterOps.Store;
import dev.conduit.keys.counters.CounterOps.Window;
import dev.conduit.keys.counters.ScriptRunner.Script;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * One counter operation as one Redis Lua script: builds the script's keys ({@link RedisKeyNames})
 * and arguments from the op and reads its reply back into a result. {@code redis/admit.lua} and
 * {@code redis/settle.lua} document both. No state of its own; thread-safe.
 */
final class CounterScripts {
  private static final Script ADMIT = Script.load("/redis/admit.lua");
  private static final Script SETTLE = Script.load("/redis/settle.lua");
  private static final Script CARRY =
      Script.of(
          "local n = redis.call('INCRBY', KEYS[1], ARGV[1]) "
              + "redis.call('PEXPIRE', KEYS[1], ARGV[2]) return n");

  private final ScriptRunner runner;
  private final RedisKeyNames names;

  CounterScripts(ScriptRunner runner, RedisKeyNames names) {
    this.runner = runner;
    this.names = names;
  }

  Future<AdmitResult> admit(AdmitOp op) {
    Owner owner = op.owner();
    List<Window> windows = op.windows();
    List<Account> accounts = op.accounts();
    List<Object> args = new ArrayList<>();
    args.add(windows.size() + 2 * accounts.size());
    windows.forEach(window -> args.add(names.counter(owner, window.id())));
    accounts.forEach(
        account -> {
          args.add(names.counter(owner, account.id()));
          args.add(names.openReservations(owner, account.id()));
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
    return runner.run(ADMIT, args).map(reply -> admitted(reply, op));
  }

  private static AdmitResult admitted(Response reply, AdmitOp op) {
    int windows = op.windows().size();
    int accounts = op.accounts().size();
    String outcome = reply.get(0).toString();
    return switch (outcome) {
      case "ok" -> {
        long[] counts = new long[windows];
        for (int i = 0; i < counts.length; i++) {
          counts[i] = number(reply.get(1 + i));
        }
        long[] spent = new long[accounts];
        long[] reserved = new long[accounts];
        for (int j = 0; j < accounts; j++) {
          spent[j] = number(reply.get(1 + windows + 2 * j));
          reserved[j] = number(reply.get(2 + windows + 2 * j));
        }
        yield new Admitted(counts, spent, reserved, Store.REDIS);
      }
      case "rate" -> new RateLimited((int) number(reply.get(1)) - 1, number(reply.get(2)));
      case "budget" ->
          new OverBudget(
              (int) number(reply.get(1)) - 1, number(reply.get(2)), number(reply.get(3)));
      case "seed" -> new NeedSeeds(indexes(reply));
      default -> throw new IllegalStateException("unexpected admit reply " + reply);
    };
  }

  Future<SettleResult> settle(SettleOp op) {
    Owner owner = op.owner();
    List<Account> accounts = op.accounts();
    Window tokens = op.tokenWindow();
    List<Object> args = new ArrayList<>();
    args.add(2 * accounts.size() + (tokens == null ? 0 : 1));
    accounts.forEach(
        account -> {
          args.add(names.counter(owner, account.id()));
          args.add(names.openReservations(owner, account.id()));
        });
    if (tokens != null) {
      args.add(names.counter(owner, tokens.id()));
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
    return runner
        .run(SETTLE, args)
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

  /**
   * Adds {@code amount} to a rate-limit window (INCRBY, so counts of other instances add up) and
   * keeps it until {@code resetsAtMs}.
   *
   * @param redisKey the window's Redis key ({@link RedisKeyNames#counter})
   */
  Future<Response> carry(String redisKey, long amount, long resetsAtMs, long asOfMs) {
    List<Object> args = List.of(1, redisKey, amount, ttl(resetsAtMs, asOfMs));
    return runner.run(CARRY, args);
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
}
