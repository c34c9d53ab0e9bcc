package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.LogCapture;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RedisServer;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.TestRedis;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Redis stopped in the middle of a run and started again (a throwaway redis-server of this test,
 * never the machine's): the gateway keeps serving with its own counters, reports {@code degraded},
 * logs it, and once Redis is back replays what it counted meanwhile, so the budget still admits
 * exactly what it covers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest {
  private LogCapture logs;
  private RedisServer redisServer;
  private TestRedis redis;
  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;

  @BeforeAll
  void start() throws Exception {
    logs = new LogCapture();
    redisServer = new RedisServer();
    redisServer.start();
    redis = new TestRedis(redisServer.url());
    mock = new MockUpstream();
    db = TestDatabases.sqlite();
    gateway =
        TestGateway.start(
            Yaml.withMock(mock, db.url(), null)
                + Yaml.alias("metered", "metered-model")
                + redis.yaml());
    gateway.price("mock", "metered-model", "0", "1000");
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    mock.close();
    db.close();
    redis.close();
    redisServer.close();
    logs.close();
  }

  @Test
  void budgetsHoldThroughARedisOutageAndItsReturn() throws Exception {
    String key = gateway.createKey("{\"name\":\"outage\",\"maxBudget\":0.03}").get("key").asText();
    for (int i = 0; i < 3; i++) {
      assertThat(chat(key).statusCode()).isEqualTo(200);
    }
    assertThat(readiness().at("/checks/redis/counters").asText()).isEqualTo("redis");
    assertThat(redis.keys()).anyMatch(name -> name.contains("spend:key:"));

    redisServer.stop();
    for (int i = 0; i < 4; i++) {
      assertThat(chat(key).statusCode()).as("request %d during the outage", i).isEqualTo(200);
    }
    JsonNode degraded = readiness();
    assertThat(degraded.get("status").asText()).isEqualTo("degraded");
    assertThat(degraded.at("/checks/redis/counters").asText()).isEqualTo("local-fallback");
    assertThat(logs.text()).contains("Redis is unreachable");

    // Back, but empty (no persistence): the gateway rebuilds the counter and replays.
    redisServer.start();
    Eventually.await(
        "the gateway to use Redis again",
        () -> readiness().at("/checks/redis/counters").asText(),
        "redis"::equals);
    assertThat(logs.text()).contains("Redis answers again");

    int ok = 0;
    HttpResponse<String> last;
    do {
      last = chat(key);
      if (last.statusCode() == 200) {
        ok++;
      }
    } while (last.statusCode() == 200 && ok < 10);
    // 7 requests so far at $0.003 each: the $0.03 budget has room for exactly 3 more.
    assertThat(ok).isEqualTo(3);
    assertThat(last.statusCode()).isEqualTo(402);
    assertThat(last.body()).contains("$0.03 spent");
  }

  private HttpResponse<String> chat(String key) throws Exception {
    return gateway.client("POST", "/v1/chat/completions", key, BudgetTest.REQUEST);
  }

  private JsonNode readiness() throws Exception {
    return TestGateway.json(gateway.client("GET", "/health/ready", null, null).body());
  }
}
