package dev.conduit.keys;

import dev.conduit.core.Usage;
import dev.conduit.keys.counters.CounterOps.Account;
import dev.conduit.keys.counters.CounterOps.Owner;
import dev.conduit.keys.counters.CounterOps.SettleOp;
import dev.conduit.keys.counters.CounterOps.Store;
import dev.conduit.keys.counters.CounterOps.Window;
import dev.conduit.keys.counters.Counters;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An admitted request's claim on its key's limits: its budget reservation and rate-limit counts.
 * {@link #settle} is called once, when the request is over, with its actual cost: the spend is
 * recorded and the reservation replaced by the actual cost (zero for a request that failed without
 * usage).
 */
public final class AdmissionTicket {
  private static final Logger log = LoggerFactory.getLogger(AdmissionTicket.class);

  private final String keyId;
  private final String groupId;
  private final Instant admittedAt;
  private final String reservationId;
  private final List<Account> accounts;
  private final Window tokenWindow;
  private final long estimatedTokens;
  private final Long outputTokenLimit;
  private final Store store;
  private final Map<String, String> headers;
  private final Counters counters;
  private final SpendBook spend;
  private final Clock clock;
  private boolean settled;

  AdmissionTicket(
      String keyId,
      String groupId,
      Instant admittedAt,
      String reservationId,
      List<Account> accounts,
      Window tokenWindow,
      long estimatedTokens,
      Long outputTokenLimit,
      Store store,
      Map<String, String> headers,
      Counters counters,
      SpendBook spend,
      Clock clock) {
    this.clock = clock;
    this.keyId = keyId;
    this.groupId = groupId;
    this.admittedAt = admittedAt;
    this.reservationId = reservationId;
    this.accounts = accounts;
    this.tokenWindow = tokenWindow;
    this.estimatedTokens = estimatedTokens;
    this.outputTokenLimit = outputTokenLimit;
    this.store = store;
    this.headers = headers;
    this.counters = counters;
    this.spend = spend;
  }

  /**
   * The output tokens the budget reservation covers: a stream is not forwarded past them, so an
   * upstream that ignores {@code max_tokens} cannot overshoot the budget. Null when the key's spend
   * is not limited (no budget, no group): nothing was reserved, and nothing is cut.
   */
  public Long outputTokenLimit() {
    return outputTokenLimit;
  }

  /** Rate-limit headers for the response ({@code X-RateLimit-*}); empty without rate limits. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Records the request's actual cost and closes its reservation. Only the first call counts. */
  public void settle(long costNanos, Usage usage) {
    if (settled) {
      return;
    }
    settled = true;
    spend.record(keyId, groupId, admittedAt, costNanos);
    if (accounts.isEmpty() && tokenWindow == null) {
      return;
    }
    long tokenDelta = tokenWindow == null ? 0 : usage.totalTokens() - estimatedTokens;
    // The accounts carry no seed (admission seeded copies of them): if the store lost an
    // account since, it asks the database again rather than trust a stale seed.
    counters
        .settle(
            new SettleOp(
                new Owner(keyId, groupId),
                reservationId,
                accounts,
                costNanos,
                tokenWindow,
                tokenDelta,
                clock.millis()),
            store)
        .onFailure(
            failure ->
                log.warn(
                    "Settling the counters of key {} failed: {}", keyId, failure.getMessage()));
  }
}
