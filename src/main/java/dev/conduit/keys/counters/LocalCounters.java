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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Counters in this process's memory: exact for one instance. Each operation runs under one lock
 * (they are a few map updates). Also holds {@link RedisCounters}' mirror of the shared counters,
 * which takes over while Redis is unreachable. The logic matches {@code redis/admit.lua} and {@code
 * redis/settle.lua} step for step.
 */
public final class LocalCounters implements Counters {
  private static final long SWEEP_EVERY_MS = 60_000;

  private final SeedLookup seeds;
  private final Map<String, WindowState> windows = new HashMap<>();
  private final Map<String, AccountState> accounts = new HashMap<>();
  private long lastSweepMs;
  private boolean detached;

  public LocalCounters(SeedLookup seeds) {
    this.seeds = seeds;
  }

  @Override
  public Future<AdmitResult> admit(AdmitOp op) {
    return Seeding.run(
        op.accounts(), seeded -> Future.succeededFuture(admitNow(op.withAccounts(seeded))), seeds);
  }

  @Override
  public Future<SettleResult> settle(SettleOp op, Store reservedIn) {
    return Seeding.run(
        op.accounts(), seeded -> Future.succeededFuture(settleNow(op.withAccounts(seeded))), seeds);
  }

  @Override
  public String mode() {
    return "local";
  }

  /** One admission, or {@link NeedSeeds} when an account is new and has no seed. */
  synchronized AdmitResult admitNow(AdmitOp op) {
    long now = op.nowMs();
    sweep(now);
    List<Window> opWindows = op.windows();
    for (int i = 0; i < opWindows.size(); i++) {
      Window window = opWindows.get(i);
      long count = windowCount(window.id(), now);
      if (count + window.amount() > window.limit()) {
        return new RateLimited(i, count);
      }
    }
    NeedSeeds missing = seedOrMissing(op.accounts());
    if (missing != null) {
      return missing;
    }
    int size = op.accounts().size();
    long[] spent = new long[size];
    long[] reserved = new long[size];
    for (int j = 0; j < size; j++) {
      Account account = op.accounts().get(j);
      AccountState state = accounts.get(account.id());
      state.releaseExpired(now);
      if (account.limitNanos() >= 0
          && state.spent + state.reserved + op.reserveNanos() > account.limitNanos()) {
        return new OverBudget(j, state.spent, state.reserved);
      }
      spent[j] = state.spent;
    }
    long[] counts = new long[opWindows.size()];
    for (int i = 0; i < opWindows.size(); i++) {
      Window window = opWindows.get(i);
      WindowState state = windows.computeIfAbsent(window.id(), id -> new WindowState());
      state.count += window.amount();
      state.resetsAtMs = window.resetsAtMs();
      counts[i] = state.count;
    }
    for (int j = 0; j < size; j++) {
      Account account = op.accounts().get(j);
      AccountState state = accounts.get(account.id());
      state.reserve(op.reservationId(), op.reserveNanos(), op.reservationExpiresAtMs());
      state.expiresAtMs = account.expiresAtMs();
      reserved[j] = state.reserved;
    }
    return new Admitted(counts, spent, reserved, Store.LOCAL);
  }

  /** One settlement, or {@link NeedSeeds} when an account is unknown and has no seed. */
  synchronized SettleResult settleNow(SettleOp op) {
    for (int j = 0; j < op.accounts().size(); j++) {
      Account account = op.accounts().get(j);
      if (!accounts.containsKey(account.id()) && account.seedNanos() < 0) {
        return missingFrom(op.accounts());
      }
    }
    long[] spent = new long[op.accounts().size()];
    boolean[] created = new boolean[spent.length];
    for (int j = 0; j < op.accounts().size(); j++) {
      Account account = op.accounts().get(j);
      AccountState state = accounts.get(account.id());
      if (state == null) {
        // The seed already includes this request's cost.
        state = new AccountState(account.seedNanos());
        accounts.put(account.id(), state);
        created[j] = true;
      } else {
        state.release(op.reservationId());
        state.spent += op.actualNanos();
      }
      state.expiresAtMs = Math.max(state.expiresAtMs, account.expiresAtMs());
      spent[j] = state.spent;
    }
    Window tokens = op.tokenWindow();
    if (tokens != null && op.tokenDelta() != 0) {
      WindowState window = windows.get(tokens.id());
      if (window != null) {
        window.count += op.tokenDelta();
      }
    }
    return new Settled(spent, created);
  }

  /**
   * Whether this instance counts on its own now (Redis unreachable): a Redis reply that arrives
   * late then adds its own effect to the mirror instead of setting the shared spend, which would
   * drop what was settled locally meanwhile.
   */
  synchronized void detached(boolean detached) {
    this.detached = detached;
  }

  /**
   * Mirrors a Redis admission: the shared spend (never lowered: replies may arrive out of order,
   * and a spend only grows), and this instance's open reservation.
   */
  synchronized void mirrorAdmitted(AdmitOp op, long[] spent) {
    for (int j = 0; j < op.accounts().size(); j++) {
      Account account = op.accounts().get(j);
      AccountState state = accounts.computeIfAbsent(account.id(), id -> new AccountState(0));
      if (!detached) {
        state.spent = Math.max(state.spent, spent[j]);
      }
      state.reserve(op.reservationId(), op.reserveNanos(), op.reservationExpiresAtMs());
      state.expiresAtMs = account.expiresAtMs();
    }
  }

  /** Mirrors a Redis settlement: the reservation is gone and spend is what Redis says. */
  synchronized void mirrorSettled(SettleOp op, long[] spent) {
    for (int j = 0; j < op.accounts().size(); j++) {
      Account account = op.accounts().get(j);
      AccountState state = accounts.computeIfAbsent(account.id(), id -> new AccountState(0));
      state.release(op.reservationId());
      state.spent = detached ? state.spent + op.actualNanos() : Math.max(state.spent, spent[j]);
      state.expiresAtMs = account.expiresAtMs();
    }
  }

  private long windowCount(String id, long now) {
    WindowState state = windows.get(id);
    return state == null || state.resetsAtMs <= now ? 0 : state.count;
  }

  private NeedSeeds seedOrMissing(List<Account> opAccounts) {
    NeedSeeds missing = null;
    for (Account account : opAccounts) {
      if (!accounts.containsKey(account.id())) {
        if (account.seedNanos() < 0) {
          missing = missingFrom(opAccounts);
        } else {
          accounts.put(account.id(), new AccountState(account.seedNanos()));
        }
      }
    }
    return missing;
  }

  private NeedSeeds missingFrom(List<Account> opAccounts) {
    return new NeedSeeds(
        java.util.stream.IntStream.range(0, opAccounts.size())
            .filter(
                j ->
                    !accounts.containsKey(opAccounts.get(j).id())
                        && opAccounts.get(j).seedNanos() < 0)
            .toArray());
  }

  /** Forgets windows that ended and idle accounts past their expiry. */
  private void sweep(long now) {
    if (now - lastSweepMs < SWEEP_EVERY_MS) {
      return;
    }
    lastSweepMs = now;
    windows.values().removeIf(window -> window.resetsAtMs <= now);
    for (Iterator<AccountState> it = accounts.values().iterator(); it.hasNext(); ) {
      AccountState state = it.next();
      state.releaseExpired(now);
      if (state.expiresAtMs > 0 && state.expiresAtMs <= now && state.reservations.isEmpty()) {
        it.remove();
      }
    }
  }

  private static final class WindowState {
    long count;
    long resetsAtMs;
  }

  private static final class AccountState {
    long spent;
    long reserved;
    long expiresAtMs;
    final Map<String, long[]> reservations = new HashMap<>();

    AccountState(long spent) {
      this.spent = spent;
    }

    void reserve(String id, long amount, long expiresAtMs) {
      if (amount > 0) {
        reserved += amount;
        reservations.put(id, new long[] {amount, expiresAtMs});
      }
    }

    void release(String id) {
      if (id == null) {
        return;
      }
      long[] held = reservations.remove(id);
      if (held != null) {
        reserved -= held[0];
      }
    }

    void releaseExpired(long now) {
      if (reservations.isEmpty()) {
        return;
      }
      for (Iterator<long[]> it = reservations.values().iterator(); it.hasNext(); ) {
        long[] held = it.next();
        if (held[1] <= now) {
          reserved -= held[0];
          it.remove();
        }
      }
    }
  }
}
