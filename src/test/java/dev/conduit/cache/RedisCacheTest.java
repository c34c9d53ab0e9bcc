package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.ExternalTool;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RedisServer;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Redis tier, on a throwaway redis-server of this test (never the machine's): shared by two
 * gateways, TTL set in Redis, the runbook's {@code FLUSHDB} and {@code DEL} of {@code cache:*} take
 * effect, a corrupt entry is dropped and counted, warm-up copies entries into the memory tier, and
 * a frozen or stopped Redis means misses, never errors. Gateway {@code shared} has only the Redis
 * tier; {@code near} has memory in front of Redis. Both use {@code scope: global}, so the two
 * gateways (each with its own database and keys) can share answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisCacheTest {
  private static final String TTL_SECONDS = "600";

  private RedisServer redis;
  private MockUpstream mock;
  private TestDatabases.TestDatabase sharedDb;
  private TestDatabases.TestDatabase nearDb;
  private TestGateway shared;
  private TestGateway near;
  private String sharedKey;
  private String nearKey;

  @BeforeAll
  void start() throws Exception {
    redis = new RedisServer();
    redis.start();
    mock = new MockUpstream();
    sharedDb = TestDatabases.sqlite();
    nearDb = TestDatabases.sqlite();
    shared = TestGateway.start(config(sharedDb, "[redis]"));
    near = TestGateway.start(config(nearDb, "[memory, redis]"));
    sharedKey = shared.newKey();
    nearKey = near.newKey();
  }

  private String config(TestDatabases.TestDatabase db, String tiers) {
    return Yaml.withMock(mock, db.url(), null)
        + Yaml.aliases("mock", List.of("r-shared", "r-flush", "r-corrupt", "r-warm", "r-down"))
        + """
        redis:
          url: "%s"
          timeoutMs: 300
        cache:
          enabled: true
          scope: global
          ttlSeconds: %s
          redisLookupMs: 200
          tiers: %s
        """
            .formatted(redis.url(), TTL_SECONDS, tiers);
  }

  @AfterAll
  void stop() throws Exception {
    shared.close();
    near.close();
    mock.close();
    sharedDb.close();
    nearDb.close();
    redis.close();
  }

  private static HttpResponse<String> chat(TestGateway gateway, String key, String model)
      throws Exception {
    return gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private static String cacheHeader(HttpResponse<String> response) {
    return response.headers().firstValue("X-Conduit-Cache").orElse(null);
  }

  private String redisCli(String... arguments) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redis.port())));
    command.addAll(Arrays.asList(arguments));
    return ExternalTool.run(Path.of("."), command.toArray(String[]::new)).ok().output().trim();
  }

  /** The {@code cache:*} keys, as the runbook lists them. */
  private List<String> cacheKeys() throws Exception {
    String out = redisCli("--scan", "--pattern", "cache:*");
    return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
  }

  /** The key a gateway stored after {@code before}, once it is there (Redis writes are async). */
  private String newKey(List<String> before) throws Exception {
    List<String> after =
        Eventually.await(
            "a new cache:* key in Redis",
            this::cacheKeys,
            keys -> keys.stream().anyMatch(key -> !before.contains(key)));
    return after.stream().filter(key -> !before.contains(key)).findFirst().orElseThrow();
  }

  @Test
  @Order(1)
  void twoGatewaysShareTheRedisTierWhoseKeysExpireInRedis() throws Exception {
    List<String> before = cacheKeys();
    assertThat(cacheHeader(chat(shared, sharedKey, "r-shared"))).isEqualTo("miss");
    String stored = newKey(before);
    assertThat(stored).startsWith("cache:").hasSize("cache:".length() + 64);
    long ttl = Long.parseLong(redisCli("PTTL", stored));
    assertThat(ttl).isPositive().isLessThanOrEqualTo(Long.parseLong(TTL_SECONDS) * 1000);

    HttpResponse<String> other = chat(near, nearKey, "r-shared");
    assertThat(cacheHeader(other)).isEqualTo("hit");
    assertThat(TestGateway.json(other.body()).at("/choices/0/message/content").asText())
        .isEqualTo(MockUpstream.TEXT);
    assertThat(mock.calls("r-shared")).isEqualTo(1);
    assertThat(near.client("GET", "/metrics", null, null).body())
        .contains("conduit_cache_hits_total{model=\"r-shared\",tier=\"redis\"} 1.0");
  }

  @Test
  @Order(2)
  void flushdbAndDeletingCacheKeysTakeEffect() throws Exception {
    List<String> before = cacheKeys();
    assertThat(cacheHeader(chat(shared, sharedKey, "r-flush"))).isEqualTo("miss");
    newKey(before);
    assertThat(cacheHeader(chat(shared, sharedKey, "r-flush"))).isEqualTo("hit");

    redisCli("FLUSHDB");
    assertThat(cacheHeader(chat(shared, sharedKey, "r-flush"))).isEqualTo("miss");
    newKey(List.of());
    assertThat(cacheHeader(chat(shared, sharedKey, "r-flush"))).isEqualTo("hit");

    for (String key : cacheKeys()) {
      redisCli("DEL", key);
    }
    assertThat(cacheHeader(chat(shared, sharedKey, "r-flush"))).isEqualTo("miss");
    assertThat(mock.calls("r-flush")).isEqualTo(3);
  }

  @Test
  @Order(3)
  void aCorruptEntryIsDroppedAndCounted() throws Exception {
    List<String> before = cacheKeys();
    chat(shared, sharedKey, "r-corrupt");
    String stored = newKey(before);
    redisCli("SET", stored, "{\"v\":1,\"key\":\"not this one\"}");

    HttpResponse<String> after = chat(shared, sharedKey, "r-corrupt");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(cacheHeader(after)).isEqualTo("miss");
    assertThat(mock.calls("r-corrupt")).isEqualTo(2);
    assertThat(shared.client("GET", "/metrics", null, null).body())
        .contains("conduit_cache_corrupt_total{tier=\"redis\"} 1.0");
  }

  @Test
  @Order(4)
  void warmingAModelCopiesItsRedisEntriesIntoTheMemoryTier() throws Exception {
    List<String> before = cacheKeys();
    chat(shared, sharedKey, "r-warm");
    newKey(before);

    HttpResponse<String> warmed =
        near.admin("POST", "/api/admin/cache/warm", "{\"models\":[\"r-warm\"]}");
    assertThat(warmed.statusCode()).isEqualTo(200);
    JsonNode result = TestGateway.json(warmed.body()).path("data").get(0);
    assertThat(result.path("model").asText()).isEqualTo("r-warm");
    assertThat(result.path("status").asText()).isEqualTo("warmed");
    assertThat(result.path("cacheEntriesLoaded").asLong()).isEqualTo(1);

    // Served from memory, even with Redis gone.
    redis.stop();
    try {
      HttpResponse<String> hit = chat(near, nearKey, "r-warm");
      assertThat(cacheHeader(hit)).isEqualTo("hit");
      assertThat(mock.calls("r-warm")).isEqualTo(1);
      assertThat(near.client("GET", "/metrics", null, null).body())
          .contains("conduit_cache_hits_total{model=\"r-warm\",tier=\"memory\"} 1.0");
    } finally {
      redis.start();
    }
  }

  @Test
  @Order(5)
  void aFrozenOrStoppedRedisMeansMissesNotErrors() throws Exception {
    redis.freeze();
    try {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response = chat(shared, sharedKey, "r-down");
        assertThat(response.statusCode()).as("request %d, Redis frozen", i).isEqualTo(200);
        assertThat(cacheHeader(response)).isEqualTo("miss");
      }
    } finally {
      redis.thaw();
    }
    redis.stop();
    try {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response = chat(shared, sharedKey, "r-down");
        assertThat(response.statusCode()).as("request %d, Redis stopped", i).isEqualTo(200);
        assertThat(cacheHeader(response)).isEqualTo("miss");
      }
      assertThat(mock.calls("r-down")).isEqualTo(6);
    } finally {
      redis.start();
    }
  }
}
