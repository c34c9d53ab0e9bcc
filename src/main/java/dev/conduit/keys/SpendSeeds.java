package dev.conduit.keys;

import dev.conduit.keys.counters.SeedLookup;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads an account's spend so far from the {@link SpendBook} (database plus not yet written), on a
 * worker thread: the starting point of a budget counter that its store does not hold yet. Account
 * ids are those {@link Admission} builds: {@code spend:key:<key id>:<period start day or total>}
 * and {@code spend:group:<group id>}.
 */
public final class SpendSeeds implements SeedLookup {
  private final Vertx vertx;
  private final SpendBook spend;

  /** Lookups under way: a burst of first requests for one account reads the database once. */
  private final Map<String, Future<Long>> inFlight = new ConcurrentHashMap<>();

  public SpendSeeds(Vertx vertx, SpendBook spend) {
    this.vertx = vertx;
    this.spend = spend;
  }

  @Override
  public Future<Long> seed(String accountId) {
    Promise<Long> promise = Promise.promise();
    Future<Long> mine = promise.future();
    Future<Long> running = inFlight.putIfAbsent(accountId, mine);
    if (running != null) {
      return running;
    }
    vertx
        .<Long>executeBlocking(() -> seedNow(accountId), false)
        .onComplete(
            result -> {
              inFlight.remove(accountId, mine);
              promise.handle(result);
            });
    return mine;
  }

  long seedNow(String accountId) throws java.sql.SQLException {
    if (accountId.startsWith("spend:group:")) {
      return spend.groupSpend(accountId.substring("spend:group:".length()));
    }
    if (accountId.startsWith("spend:key:")) {
      String rest = accountId.substring("spend:key:".length());
      int colon = rest.lastIndexOf(':');
      String keyId = rest.substring(0, colon);
      String period = rest.substring(colon + 1);
      return spend.keySpend(keyId, period.equals("total") ? null : LocalDate.parse(period));
    }
    throw new IllegalArgumentException("not a spend account: " + accountId);
  }
}
