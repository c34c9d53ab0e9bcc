package dev.conduit.keys.counters;

/** An account's spend could not be read (the database is unreachable), so it cannot be checked. */
public final class SeedUnavailable extends RuntimeException {
  SeedUnavailable(String accountId, Throwable cause) {
    super("the spend of " + accountId + " could not be read: " + cause.getMessage(), cause);
  }
}
