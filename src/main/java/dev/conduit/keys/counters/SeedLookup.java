package dev.conduit.keys.counters;

import io.vertx.core.Future;

/** Looks up, in the database, how much an account has spent so far (its counter's seed). */
@FunctionalInterface
public interface SeedLookup {
  /** The account's spend in nano-dollars, written or not yet written. */
  Future<Long> seed(String accountId);
}
