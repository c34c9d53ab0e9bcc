package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.RedisServer;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.TestRedis;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A rate-limit window does not restart when Redis comes back empty (issue 11 item 8): requests
 * counted locally during the outage are carried into Redis, so an {@code rpm: 10} key gets 10 in
 * its minute, not 10 more. The clock stands still, so the whole test is one window.
 */
class RateWindowCarryOverTest {

  @Test
  void requestsCountedDuringAnOutageStayCountedWhenRedisReturnsEmpty() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2031-06-01T10:00:05Z"));
    try (RedisServer redisServer = new RedisServer();
        MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite()) {
      redisServer.start();
      try (TestRedis redis = new TestRedis(redisServer.url());
          TestGateway gateway =
              TestGateway.start(Yaml.withMock(mock, db.url(), null) + redis.yaml(), clock)) {
        String key = gateway.createKey("{\"name\":\"rpm\",\"rpm\":10}").get("key").asText();
        assertThat(chat(gateway, key).statusCode()).isEqualTo(200);

        redisServer.stop();
        for (int i = 0; i < 4; i++) {
          assertThat(chat(gateway, key).statusCode())
              .as("request %d in the outage", i)
              .isEqualTo(200);
        }
        assertThat(readiness(gateway).at("/checks/redis/counters").asText())
            .isEqualTo("local-fallback");

        // Back, but empty (no persistence): only what was counted locally can restore the window.
        redisServer.start();
        Eventually.await(
            "the gateway to use Redis again",
            () -> readiness(gateway).at("/checks/redis/counters").asText(),
            "redis"::equals);
        int ok = 0;
        HttpResponse<String> last;
        do {
          last = chat(gateway, key);
          if (last.statusCode() == 200) {
            ok++;
          }
        } while (last.statusCode() == 200 && ok < 20);
        // 4 counted locally in the outage; the request before it was lost with Redis's memory.
        assertThat(ok).isEqualTo(6);
        assertThat(last.statusCode()).isEqualTo(429);
      }
    }
  }

  private static HttpResponse<String> chat(TestGateway gateway, String key) throws Exception {
    return gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private static JsonNode readiness(TestGateway gateway) throws Exception {
    return TestGateway.json(gateway.client("GET", "/health/ready", null, null).body());
  }
}
