package dev.conduit.keys.counters;

import java.util.List;

/** The operations {@link Counters} perform, as data, so both stores run the same logic. */
public final class CounterOps {
  private CounterOps() {}

  /**
   * Whose counters an operation touches: one virtual key, and its key group when it has one. Every
   * counter of one operation belongs to its owner, so a shared store can keep them together (Redis
   * Cluster: one hash slot, see {@link RedisKeyNames}).
   *
   * @param keyId the virtual key's id
   * @param groupId its key group's id; null when it is in none
   */
  public record Owner(String keyId, String groupId) {}

  /**
   * A fixed rate-limit window (one UTC minute or day) of one key and one limit.
   *
   * @param id counter id; includes the window's start, so a new window is a new counter
   * @param limit most the window may count
   * @param amount what this request adds (1 request, or its estimated tokens)
   * @param resetsAtMs the window's end, epoch milliseconds
   */
  public record Window(String id, long limit, long amount, long resetsAtMs) {}

  /**
   * A spend account: a key's budget for one period, or a group's balance. Spent and reserved
   * amounts are nano-dollars.
   *
   * @param id counter id; a key's includes its period's start
   * @param limitNanos most that spent plus reserved may reach; -1 for no limit
   * @param seedNanos spend to start from when the store does not hold this account yet (from the
   *     database); -1 when not looked up yet
   * @param expiresAtMs when the store may forget the account (after its period, or when idle)
   */
  public record Account(String id, long limitNanos, long seedNanos, long expiresAtMs) {
    public Account withSeed(long seed) {
      return new Account(id, limitNanos, seed, expiresAtMs);
    }
  }

  /**
   * Admit one request: every window must have room for its amount and every account for the
   * reservation; then all are counted, or none.
   *
   * @param owner whose counters these are
   * @param reservationId names the reservation for its settlement
   * @param nowMs the gateway's clock
   * @param reserveNanos the most the request can cost
   * @param reservationExpiresAtMs when an unsettled reservation is released anyway
   */
  public record AdmitOp(
      Owner owner,
      String reservationId,
      long nowMs,
      List<Window> windows,
      List<Account> accounts,
      long reserveNanos,
      long reservationExpiresAtMs) {
    public AdmitOp withAccounts(List<Account> seeded) {
      return new AdmitOp(
          owner, reservationId, nowMs, windows, seeded, reserveNanos, reservationExpiresAtMs);
    }
  }

  /** The outcome of an {@link AdmitOp}. */
  public sealed interface AdmitResult {}

  /**
   * Let through.
   *
   * @param windowCounts each window's count after this request
   * @param spent each account's settled spend
   * @param reserved each account's open reservations, this one included
   * @param store where the reservation lives, for its settlement
   */
  public record Admitted(long[] windowCounts, long[] spent, long[] reserved, Store store)
      implements AdmitResult {}

  /**
   * A window has no room.
   *
   * @param window index in {@link AdmitOp#windows()}
   * @param count its count (this request not included)
   */
  public record RateLimited(int window, long count) implements AdmitResult {}

  /**
   * An account cannot cover the reservation.
   *
   * @param account index in {@link AdmitOp#accounts()}
   */
  public record OverBudget(int account, long spent, long reserved) implements AdmitResult {}

  /**
   * The store does not hold these accounts yet: look their spend up and try again with seeds.
   *
   * @param accounts indexes in the op's account list
   */
  public record NeedSeeds(int[] accounts) implements AdmitResult, SettleResult {}

  /**
   * Settle one admitted request: release its reservation and add its actual cost (and correct the
   * token window by how far the estimate was off).
   *
   * @param owner whose counters these are (the same as at admission)
   * @param reservationId the admission's reservation; null when there is none to release
   * @param accounts the same accounts as at admission (seeds may be filled in)
   * @param actualNanos the request's cost
   * @param tokenWindow the tokens-per-minute window counted at admission, or null
   * @param tokenDelta actual tokens minus the estimate counted at admission
   * @param nowMs the gateway's clock
   */
  public record SettleOp(
      Owner owner,
      String reservationId,
      List<Account> accounts,
      long actualNanos,
      Window tokenWindow,
      long tokenDelta,
      long nowMs) {
    public SettleOp withAccounts(List<Account> seeded) {
      return new SettleOp(
          owner, reservationId, seeded, actualNanos, tokenWindow, tokenDelta, nowMs);
    }

    /** The same settlement without the named accounts (their counters already include it). */
    public SettleOp withoutAccounts(java.util.Set<String> ids) {
      return new SettleOp(
          owner,
          reservationId,
          accounts.stream().filter(account -> !ids.contains(account.id())).toList(),
          actualNanos,
          tokenWindow,
          tokenDelta,
          nowMs);
    }

    /** The same settlement, with no reservation left to release. */
    public SettleOp withoutReservation() {
      return new SettleOp(owner, null, accounts, actualNanos, tokenWindow, tokenDelta, nowMs);
    }
  }

  /** The outcome of a {@link SettleOp}. */
  public sealed interface SettleResult {}

  /**
   * Done.
   *
   * @param spent each account's settled spend afterwards
   * @param created whether each account was created from its seed (which already covers this
   *     settlement and every cost recorded before the seed was read)
   */
  public record Settled(long[] spent, boolean[] created) implements SettleResult {}

  /** Where an admitted request's reservation is held. */
  public enum Store {
    LOCAL,
    REDIS
  }
}
