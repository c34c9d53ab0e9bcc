package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.LocalRedisSentinel;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A gateway in {@code redis.mode: sentinel}: it finds the master through a sentinel of this test
 * ({@link LocalRedisSentinel}), counts a budget there exactly, and (with the default {@code
 * replicaAcks: 1}) follows each counter script with a {@code WAIT} for the replica.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSentinelTest {
  private static final String PREFIX = "conduit-sentinel-test:";

  private LocalRedisSentinel sentinel;
  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;

  @BeforeAll
  void start() throws Exception {
    sentinel = new LocalRedisSentinel().start();
    mock = new MockUpstream();
    db = TestDatabases.sqlite();
    gateway =
        TestGateway.start(
            Yaml.withMock(mock, db.url(), null)
                + Yaml.alias("metered", "metered-model")
                + "redis:\n  mode: sentinel\n  urls: [\""
                + sentinel.sentinelUrl()
                + "\"]\n  masterName: "
                + LocalRedisSentinel.MASTER_NAME
                + "\n  keyPrefix: \""
                + PREFIX
                + "\"\n  timeoutMs: 10000\n");
    gateway.price("mock", "metered-model", "0", "1000");
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    mock.close();
    db.close();
    sentinel.close();
  }

  @Test
  void theBudgetIsCountedOnTheMasterTheSentinelNamesAndReplicated() throws Exception {
    JsonNode created = gateway.createKey("{\"name\":\"sentinel\",\"maxBudget\":0.03}");
    String key = created.get("key").asText();
    String id = created.get("id").asText();

    int ok = 0;
    int status;
    do {
      status = gateway.client("POST", "/v1/chat/completions", key, BudgetTest.REQUEST).statusCode();
      if (status == 200) {
        ok++;
      }
    } while (status == 200 && ok < 20);

    assertThat(ok).isEqualTo(10);
    assertThat(status).isEqualTo(402);
    String account = PREFIX + "{k:" + id + "}:spend:key:" + id + ":total";
    // The last settlement may still be on its way when the refusal is answered.
    Eventually.await(
        "the master to hold the whole spend",
        () -> sentinel.cli(sentinel.masterPort(), "HGET", account, "spent"),
        spent -> spent.contains("30000000"));
    Eventually.await(
        "the replica to hold it too",
        () -> sentinel.cli(sentinel.replicaPort(), "HGET", account, "spent"),
        spent -> spent.contains("30000000"));
    // replicaAcks defaults to 1 behind Sentinel: each script was followed by a WAIT.
    assertThat(sentinel.cli(sentinel.masterPort(), "INFO", "commandstats"))
        .contains("cmdstat_wait:calls=");

    JsonNode redis =
        Eventually.await(
            "a Redis check",
            () ->
                TestGateway.json(gateway.client("GET", "/health/ready", null, null).body())
                    .at("/checks/redis"),
            node -> "up".equals(node.path("status").asText()) && node.has("checkedAt"));
    assertThat(redis.get("mode").asText()).isEqualTo("sentinel");
  }
}
