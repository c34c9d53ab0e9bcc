package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.LocalRedisCluster;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two gateways sharing one PostgreSQL database and a real six-node Redis Cluster of this test
 * ({@link LocalRedisCluster}, {@code redis.mode: cluster}): the budget-under-concurrency and rate
 * limit cases of {@link SharedCountersTest} hold exactly, a key in a group (whose script touches
 * the key's and the group's counters at once) works, readiness checks the cluster, and the response
 * cache's admin walk counts and deletes entries on every master.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterTest {
  private static final String PREFIX = "conduit-cluster-test:";

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(1));
  private LocalRedisCluster cluster;
  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway first;
  private TestGateway second;

  @BeforeAll
  void start() throws Exception {
    cluster = new LocalRedisCluster().start();
    mock = new MockUpstream();
    db = TestDatabases.postgres();
    StringBuilder yaml =
        new StringBuilder(Yaml.withMock(mock, db.url(), null))
            .append(Yaml.alias("metered", "metered-model"))
            .append(Yaml.alias("cached", "cached-model"))
            .append("redis:\n  mode: cluster\n  urls:\n");
    for (int port : cluster.ports()) {
      yaml.append("    - \"redis://127.0.0.1:").append(port).append("\"\n");
    }
    // A generous timeout, as in SharedCountersTest: a slow machine must not push the instances
    // to their own counters (RedisOutageTest covers that).
    yaml.append("  keyPrefix: \"" + PREFIX + "\"\n  timeoutMs: 30000\n")
        .append(
            "cache:\n  enabled: false\n  scope: global\n  tiers: [redis]\n"
                + "  models:\n    cached: { enabled: true }\n");
    first = TestGateway.start(yaml.toString(), clock);
    first.price("mock", "metered-model", "0", "1000");
    second = TestGateway.start(yaml.toString(), clock);
  }

  @AfterAll
  void stop() throws Exception {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    mock.close();
    db.close();
    cluster.close();
  }

  @Test
  void concurrentRequestsOnBothInstancesNeverOvershootOneBudget() throws Exception {
    JsonNode created = first.createKey("{\"name\":\"cluster-budget\",\"maxBudget\":0.03}");
    String key = known(created.get("key").asText());

    int[] outcome = burst(key, 200);

    assertThat(outcome[0]).as("admitted").isEqualTo(10);
    assertThat(outcome[1]).as("refused with 402").isEqualTo(190);
    // The key's counters live in its own slot: {k:<key id>}.
    String id = created.get("id").asText();
    int slot = cluster.keySlot("{k:" + id + "}");
    int master = cluster.masterOf(slot);
    String account = PREFIX + "{k:" + id + "}:spend:key:" + id + ":total";
    // Settlements may still be on their way when the last answer arrived.
    Eventually.await(
        "the key's master to hold its whole spend",
        () -> cluster.cli(master, "HGET", account, "spent"),
        spent -> spent.contains("30000000"));
  }

  @Test
  void aRateLimitHoldsAcrossBothInstances() throws Exception {
    String key = known(first.createKey("{\"name\":\"cluster-rpm\",\"rpm\":6}").get("key").asText());
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 20; i++) {
      int status =
          (i % 2 == 0 ? first : second)
              .client("POST", "/v1/chat/completions", key, BudgetTest.REQUEST)
              .statusCode();
      if (status == 200) {
        ok++;
      } else if (status == 429) {
        limited++;
      }
    }

    assertThat(ok).isEqualTo(6);
    assertThat(limited).isEqualTo(14);
  }

  @Test
  void keysOfAGroupWithTheirOwnBudgetsDrawOnTheGroupBalanceInOneSlot() throws Exception {
    JsonNode group =
        TestGateway.json(
            first
                .admin(
                    "POST",
                    "/api/admin/key-groups",
                    "{\"name\":\"cluster-team\",\"balance\":0.012}")
                .body());
    String groupId = group.get("id").asText();
    String a =
        known(
            first
                .createKey("{\"name\":\"g1\",\"maxBudget\":0.006,\"groupId\":\"" + groupId + "\"}")
                .get("key")
                .asText());
    String b =
        known(
            first
                .createKey("{\"name\":\"g2\",\"groupId\":\"" + groupId + "\"}")
                .get("key")
                .asText());

    // a's own budget allows 2; the group's balance allows 4 in all.
    int[] fromA = burst(a, 20);
    int[] fromB = burst(b, 20);

    assertThat(fromA[0]).isEqualTo(2);
    assertThat(fromA[0] + fromB[0]).isEqualTo(4);
    // Every counter of both keys carries the group's tag.
    String keys =
        cluster.cli(
            cluster.masterOf(cluster.keySlot("{g:" + groupId + "}")),
            "KEYS",
            PREFIX + "{g:" + groupId + "}:*");
    assertThat(keys).contains("spend:group:" + groupId).contains("spend:key:");
  }

  @Test
  void readinessReportsTheClusterUp() throws Exception {
    JsonNode redis =
        Eventually.await(
            "a Redis check",
            () ->
                TestGateway.json(first.client("GET", "/health/ready", null, null).body())
                    .at("/checks/redis"),
            node -> "up".equals(node.path("status").asText()) && node.has("checkedAt"));
    assertThat(redis.get("mode").asText()).isEqualTo("cluster");
    assertThat(redis.get("counters").asText()).isEqualTo("redis");
  }

  @Test
  void theCacheAdminWalkCountsAndDeletesEntriesOnEveryMaster() throws Exception {
    String key = first.newKey();
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> answer =
          first.client(
              "POST",
              "/v1/chat/completions",
              key,
              "{\"model\":\"cached\",\"messages\":[{\"role\":\"user\",\"content\":\"q"
                  + i
                  + "\"}]}");
      assertThat(answer.statusCode()).isEqualTo(200);
    }
    JsonNode stats =
        Eventually.await(
            "all thirty answers stored",
            () -> TestGateway.json(first.admin("GET", "/api/admin/cache", null).body()),
            node -> node.at("/redis/entries").asLong() == 30);
    assertThat(stats.at("/redis/entries").asLong()).isEqualTo(30);

    // Thirty entries spread over the three masters (their keys have no hash tag).
    Set<Integer> masters = new HashSet<>();
    for (int port : cluster.ports()) {
      String role = cluster.cli(port, "ROLE");
      if (role.startsWith("master")
          && !cluster.cli(port, "--scan", "--pattern", "cache:*").isBlank()) {
        masters.add(port);
      }
    }
    assertThat(masters).hasSizeGreaterThan(1);

    JsonNode deleted =
        TestGateway.json(first.admin("DELETE", "/api/admin/cache?model=cached", null).body());
    assertThat(deleted.get("redis").asLong()).isEqualTo(30);
    assertThat(
            TestGateway.json(first.admin("GET", "/api/admin/cache", null).body())
                .at("/redis/entries")
                .asLong())
        .isZero();
  }

  /** Sends {@code count} concurrent requests, alternating instances; answers {200s, 402s}. */
  private int[] burst(String key, int count) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TestGateway gateway = i % 2 == 0 ? first : second;
      calls.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/chat/completions")))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofString(BudgetTest.REQUEST))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    int[] outcome = new int[2];
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      int status = call.get().statusCode();
      if (status == 200) {
        outcome[0]++;
      } else if (status == 402) {
        outcome[1]++;
      }
    }
    return outcome;
  }

  /** The key, once the second instance knows it too. */
  private String known(String key) throws Exception {
    Eventually.await(
        "the second instance to know the new key",
        () -> second.client("GET", "/v1/models", key, null).statusCode(),
        status -> status == 200);
    return key;
  }
}
