package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.LocalRedisCluster;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A forced failover in the middle of traffic: {@code CLUSTER FAILOVER FORCE} on the replica of the
 * master that holds a budgeted key's slot, while eight callers keep sending. Serving continues (no
 * 5xx: a write the old master could still lose is reported as Redis not answering, and the gateway
 * counts on its own until the cluster answers, as in {@link RedisOutageTest}), and the budget is
 * not overshot: with {@code redis.replicaAcks: 1} (the cluster default) every counter write the
 * gateway acted on was on the replica that took over.
 *
 * <p>Run with {@code -Dconduit.test.replicaAcks=0} to measure what happens without {@code WAIT}
 * (the overshoot is logged; the no-overshoot assertion then does not apply).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterFailoverTest {
  private static final Logger log = LoggerFactory.getLogger(RedisClusterFailoverTest.class);
  private static final int REPLICA_ACKS = Integer.getInteger("conduit.test.replicaAcks", 1);
  private static final int BUDGETED_REQUESTS = 600;
  private static final int CALLERS = 8;

  private LocalRedisCluster cluster;
  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;

  @BeforeAll
  void start() throws Exception {
    cluster = new LocalRedisCluster().start();
    mock = new MockUpstream();
    db = TestDatabases.postgres();
    gateway =
        TestGateway.start(
            Yaml.withMock(mock, db.url(), null)
                // 20 ms a request, so that traffic outlasts the failover.
                + Yaml.alias("metered", "slow-first-byte-20")
                + "redis:\n  mode: cluster\n  urls: [\""
                + String.join("\", \"", cluster.urls().split(","))
                + "\"]\n  keyPrefix: \"conduit-failover-test:\"\n  timeoutMs: 2000\n"
                + "  replicaAcks: "
                + REPLICA_ACKS
                + "\n");
    gateway.price("mock", "slow-first-byte-20", "0", "1000");
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    mock.close();
    db.close();
    cluster.close();
  }

  @Test
  void aForcedFailoverMidTrafficNeitherFailsCallersNorOvershootsTheBudget() throws Exception {
    // $0.003 a request: the budget covers exactly BUDGETED_REQUESTS.
    JsonNode created =
        gateway.createKey(
            "{\"name\":\"failover\",\"maxBudget\":"
                + new BigDecimal("0.003").multiply(BigDecimal.valueOf(BUDGETED_REQUESTS))
                + "}");
    String key = created.get("key").asText();
    String id = created.get("id").asText();
    int master = cluster.masterOf(cluster.keySlot("{k:" + id + "}"));
    int replica = cluster.replicaOf(master);

    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger admitted = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean failedOver =
        new java.util.concurrent.atomic.AtomicBoolean();
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      running.add(
          callers.submit(
              () -> {
                while (true) {
                  int status = chat(key);
                  statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                  if (status == 200) {
                    admitted.incrementAndGet();
                  }
                  // Callers go on until the budget is spent, and at least until the failover is
                  // over.
                  if (status == 402 && failedOver.get()) {
                    return null;
                  }
                }
              }));
    }
    // Mid-traffic: a third of the budget is spent.
    Eventually.await(
        "a third of the budget to be spent", admitted::get, n -> n >= BUDGETED_REQUESTS / 3);
    long failoverStarted = System.nanoTime();
    int admittedBefore = admitted.get();
    cluster.forceFailover(replica);
    failedOver.set(true);
    log.info(
        "Failover of slot master {} to {} took {} ms (until every replica was in sync again);"
            + " {} requests were admitted when it began",
        master,
        replica,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failoverStarted),
        admittedBefore);
    for (Future<?> caller : running) {
      caller.get(120, TimeUnit.SECONDS);
    }
    callers.shutdown();

    log.info(
        "With replicaAcks {}: {} admitted for a budget of {}; statuses {}",
        REPLICA_ACKS,
        admitted.get(),
        BUDGETED_REQUESTS,
        statuses);
    assertThat(cluster.cli(replica, "ROLE")).startsWith("master");
    assertThat(admittedBefore).as("admitted before the failover").isLessThan(BUDGETED_REQUESTS);
    assertThat(statuses.keySet()).as("statuses answered").containsOnly(200, 402);
    if (REPLICA_ACKS > 0) {
      assertThat(admitted.get()).as("requests admitted").isLessThanOrEqualTo(BUDGETED_REQUESTS);
    }
    // The spend the database records, once written, stays within the budget too.
    JsonNode view =
        Eventually.await(
            "the key's spend to be written",
            () ->
                TestGateway.json(
                    gateway.admin("GET", "/api/admin/virtual-keys/" + id, null).body()),
            node ->
                node.get("spend")
                        .decimalValue()
                        .compareTo(
                            new BigDecimal("0.003").multiply(BigDecimal.valueOf(admitted.get())))
                    >= 0);
    if (REPLICA_ACKS > 0) {
      assertThat(view.get("spend").decimalValue())
          .isLessThanOrEqualTo(
              new BigDecimal("0.003").multiply(BigDecimal.valueOf(BUDGETED_REQUESTS)));
    }
    // Once the cluster answers again, the gateway counts in it again.
    Eventually.await(
        "the gateway to use the cluster again",
        () ->
            TestGateway.json(gateway.client("GET", "/health/ready", null, null).body())
                .at("/checks/redis/counters")
                .asText(),
        "redis"::equals);
    // No counter write was lost: the new master's spend covers every admitted request's cost
    // (3,000,000 nano-dollars each); a lost settlement would leave it short. It may exceed it: a
    // settlement the new master made before its replica was in sync is unconfirmed, so it is also
    // replayed (counted twice, which errs on the side of the budget).
    String account = "conduit-failover-test:{k:" + id + "}:spend:key:" + id + ":total";
    long exact = 3_000_000L * admitted.get();
    if (REPLICA_ACKS > 0) {
      long spent =
          Long.parseLong(
              Eventually.await(
                  "the new master to hold the whole spend",
                  () -> cluster.cli(replica, "HGET", account, "spent").trim(),
                  value -> value.matches("\\d+") && Long.parseLong(value) >= exact));
      log.info(
          "The new master counts {} settlements more than were made (replayed after an"
              + " unconfirmed write)",
          (spent - exact) / 3_000_000L);
    } else {
      String spent = cluster.cli(replica, "HGET", account, "spent").trim();
      log.info(
          "Without WAIT the new master holds {} of {} nano-dollars of spend ({} settlements lost)",
          spent,
          exact,
          (exact - Long.parseLong(spent)) / 3_000_000L);
    }
  }

  private int chat(String key) throws Exception {
    return gateway.client("POST", "/v1/chat/completions", key, BudgetTest.REQUEST).statusCode();
  }
}
