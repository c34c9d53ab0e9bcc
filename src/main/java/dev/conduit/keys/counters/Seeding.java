package dev.conduit.keys.counters;

import dev.conduit.keys.counters.CounterOps.Account;
import dev.conduit.keys.counters.CounterOps.NeedSeeds;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs a counter operation, looking up seeds and running it again when the store asks. */
final class Seeding {

  private Seeding() {}

  /**
   * @param accounts the operation's accounts
   * @param run runs the operation with the given accounts
   */
  static <R> Future<R> run(
      List<Account> accounts, Function<List<Account>, Future<R>> run, SeedLookup seeds) {
    return run.apply(accounts)
        .compose(
            result -> {
              if (!(result instanceof NeedSeeds need)) {
                return Future.succeededFuture(result);
              }
              List<Future<Long>> lookups = new ArrayList<>();
              for (int index : need.accounts()) {
                String id = accounts.get(index).id();
                lookups.add(
                    seeds
                        .seed(id)
                        .recover(failure -> Future.failedFuture(new SeedUnavailable(id, failure))));
              }
              return Future.all(lookups)
                  .compose(
                      found -> {
                        List<Account> seeded = new ArrayList<>(accounts);
                        int[] indexes = need.accounts();
                        for (int i = 0; i < indexes.length; i++) {
                          seeded.set(
                              indexes[i], accounts.get(indexes[i]).withSeed(found.resultAt(i)));
                        }
                        return run.apply(seeded)
                            .compose(
                                again ->
                                    again instanceof NeedSeeds
                                        ? Future.failedFuture(
                                            new IllegalStateException(
                                                "counter store asked for seeds twice"))
                                        : Future.succeededFuture(again));
                      });
            });
  }
}
