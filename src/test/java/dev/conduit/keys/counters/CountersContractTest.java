package dev.conduit.keys.counters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.keys.counters.CounterOps.Account;
import dev.conduit.keys.counters.CounterOps.AdmitOp;
import dev.conduit.keys.counters.CounterOps.AdmitResult;
import dev.conduit.keys.counters.CounterOps.Admitted;
import dev.conduit.keys.counters.CounterOps.OverBudget;
import dev.conduit.keys.counters.CounterOps.Owner;
import dev.conduit.keys.counters.CounterOps.RateLimited;
import dev.conduit.keys.counters.CounterOps.SettleOp;
import dev.conduit.keys.counters.CounterOps.Settled;
import dev.conduit.keys.counters.CounterOps.Store;
import dev.conduit.keys.counters.CounterOps.Window;
import dev.conduit.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same cases against the in-process counters and the Redis scripts: both stores must count
 * alike, since an instance switches between them when Redis comes and goes.
 */
class CountersContractTest {
  static final long NOW = 1_900_000_000_000L;
  static final Owner OWNER = new Owner("contract-key", null);

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Local extends Cases {
    @Override
    Counters counters(SeedLookup seeds) {
      return new LocalCounters(seeds);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class InRedis extends Cases {
    Vertx vertx;
    Redis redis;
    TestRedis testRedis;

    @BeforeAll
    void connect() {
      vertx = Vertx.vertx();
      redis = Redis.createClient(vertx, TestRedis.URL);
      testRedis = new TestRedis();
    }

    @AfterAll
    void disconnect() throws Exception {
      testRedis.close();
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    Counters counters(SeedLookup seeds) {
      return new RedisCounters(
          vertx,
          redis,
          testRedis.prefix(),
          10_000,
          0,
          new LocalCounters(seeds),
          seeds,
          reason -> {});
    }
  }

  abstract static class Cases {
    final Map<String, Long> database = new ConcurrentHashMap<>();
    final SeedLookup seeds = id -> Future.succeededFuture(database.getOrDefault(id, 0L));

    abstract Counters counters(SeedLookup seeds);

    @Test
    void aReservationHoldsBudgetUntilSettledToTheActualCost() throws Exception {
      Counters counters = counters(seeds);
      String account = unique("spend:key");
      database.put(account, 400L);

      Admitted first = (Admitted) admit(counters, "r1", List.of(), account, 1_000, 500);
      assertThat(first.spent()).containsExactly(400);
      assertThat(first.reserved()).containsExactly(500);
      OverBudget refused = (OverBudget) admit(counters, "r2", List.of(), account, 1_000, 200);
      assertThat(refused.spent()).isEqualTo(400);
      assertThat(refused.reserved()).isEqualTo(500);

      Settled settled = (Settled) settle(counters, "r1", account, 100, first.store());
      assertThat(settled.spent()).containsExactly(500);
      Admitted again = (Admitted) admit(counters, "r3", List.of(), account, 1_000, 500);
      assertThat(again.spent()).containsExactly(500);
      assertThat(again.reserved()).containsExactly(500);
    }

    @Test
    void anExpiredReservationIsReleasedByTheNextAdmission() throws Exception {
      Counters counters = counters(seeds);
      String account = unique("spend:group");
      admit(counters, "stale", List.of(), account, 1_000, 900);

      AdmitResult later =
          counters
              .admit(
                  new AdmitOp(
                      OWNER,
                      "fresh",
                      NOW + 120_000,
                      List.of(),
                      List.of(new Account(account, 1_000, -1, NOW + 3_600_000)),
                      900,
                      NOW + 180_000))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);

      assertThat(later).isInstanceOf(Admitted.class);
      assertThat(((Admitted) later).reserved()).containsExactly(900);
    }

    @Test
    void aRateWindowCountsUpToItsLimitAndNothingIsCountedForARefusal() throws Exception {
      Counters counters = counters(seeds);
      String account = unique("spend:key");
      Window window = new Window(unique("rl") + ":rpm:" + NOW, 2, 1, NOW + 60_000);

      assertThat(
              ((Admitted) admit(counters, "a", List.of(window), account, 100, 60)).windowCounts())
          .containsExactly(1);
      // Over budget: the window must not count this one.
      assertThat(admit(counters, "b", List.of(window), account, 100, 60))
          .isInstanceOf(OverBudget.class);
      assertThat(
              ((Admitted) admit(counters, "c", List.of(window), account, 1_000, 0)).windowCounts())
          .containsExactly(2);
      RateLimited limited = (RateLimited) admit(counters, "d", List.of(window), account, 1_000, 0);
      assertThat(limited.window()).isZero();
      assertThat(limited.count()).isEqualTo(2);
    }

    @Test
    void anAccountMissingFromTheStoreIsSeededFromTheDatabaseOnce() throws Exception {
      Counters counters = counters(seeds);
      String account = unique("spend:key");
      database.put(account, 950L);

      assertThat(admit(counters, "x", List.of(), account, 1_000, 100))
          .isInstanceOf(OverBudget.class);
      database.put(account, 0L);
      // The store holds the account now: a changed database value does not reset it.
      assertThat(admit(counters, "y", List.of(), account, 1_000, 100))
          .isInstanceOf(OverBudget.class);
    }

    static AdmitResult admit(
        Counters counters,
        String id,
        List<Window> windows,
        String account,
        long limit,
        long reserve)
        throws Exception {
      return counters
          .admit(
              new AdmitOp(
                  OWNER,
                  id,
                  NOW,
                  windows,
                  List.of(new Account(account, limit, -1, NOW + 3_600_000)),
                  reserve,
                  NOW + 60_000))
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }

    static Object settle(Counters counters, String id, String account, long actual, Store store)
        throws Exception {
      return counters
          .settle(
              new SettleOp(
                  OWNER,
                  id,
                  List.of(new Account(account, 0, -1, NOW + 3_600_000)),
                  actual,
                  null,
                  0,
                  NOW),
              store)
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }

    static String unique(String kind) {
      return kind + ":" + UUID.randomUUID();
    }
  }
}
