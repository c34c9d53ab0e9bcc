package dev.conduit.keys;

import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RedisServer;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.TestRedis;
import dev.conduit.testing.Yaml;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A frozen Redis (SIGSTOP: connections open, nothing answers) is reported down within a few seconds
 * by readiness, and up again once it runs (issue 11 item 2). The test's own redis-server, never the
 * machine's.
 */
class RedisFreezeTest {

  @Test
  void aFrozenRedisIsReportedDownWithinSecondsAndUpWhenItRunsAgain() throws Exception {
    try (RedisServer redisServer = new RedisServer();
        MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite()) {
      redisServer.start();
      try (TestRedis redis = new TestRedis(redisServer.url());
          TestGateway gateway =
              TestGateway.start(Yaml.withMock(mock, db.url(), null) + redis.yaml(1_000))) {
        Eventually.await("Redis reported up", () -> redisStatus(gateway), "up"::equals);
        redisServer.freeze();
        try {
          // The health check runs every few seconds and its PING times out after a second.
          Eventually.await(
              "the frozen Redis reported down",
              Duration.ofSeconds(15),
              () -> redisStatus(gateway),
              "down"::equals);
        } finally {
          redisServer.thaw();
        }
        Eventually.await("Redis reported up again", () -> redisStatus(gateway), "up"::equals);
      }
    }
  }

  private static String redisStatus(TestGateway gateway) throws Exception {
    return TestGateway.json(gateway.client("GET", "/health/ready", null, null).body())
        .at("/checks/redis/status")
        .asText();
  }
}
