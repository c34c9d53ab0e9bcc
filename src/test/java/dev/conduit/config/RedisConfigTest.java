package dev.conduit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.config.RedisConfig.Mode;
import dev.conduit.provider.ProviderRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code redis:} section: standalone, cluster and sentinel, and the errors that name a key. */
class RedisConfigTest {
  private static final String BASE =
      """
      database: { url: "jdbc:sqlite:./data/conduit.db" }
      providers:
        - { name: mock, type: openai, baseUrl: "http://127.0.0.1:1/v1", apiKey: "sk-x" }
      models:
        - alias: demo
          deployments:
            - { provider: mock, model: demo }
      """;

  private static ConduitConfig parse(String redisYaml, Map<String, String> env) {
    return new ConfigLoader(env, ProviderRegistry.configTypes())
        .parse(BASE + redisYaml, "conduit.yaml");
  }

  private static ConduitConfig parse(String redisYaml) {
    return parse(redisYaml, Map.of());
  }

  @Test
  void oneUrlIsAStandaloneRedisWithoutReplicaAcks() {
    RedisConfig redis = parse("redis: { url: \"redis://127.0.0.1:6379\" }\n").redis();

    assertThat(redis.resolvedMode()).isEqualTo(Mode.STANDALONE);
    assertThat(redis.nodes()).containsExactly("redis://127.0.0.1:6379");
    assertThat(redis.resolvedReplicaAcks()).isZero();
  }

  @Test
  void aClusterIsNamedByItsModeAndNodeList() {
    RedisConfig redis =
        parse(
                """
                redis:
                  mode: cluster
                  urls:
                    - "redis://redis-0.redis:6379"
                    - "redis://redis-1.redis:6379"
                """)
            .redis();

    assertThat(redis.resolvedMode()).isEqualTo(Mode.CLUSTER);
    assertThat(redis.nodes())
        .containsExactly("redis://redis-0.redis:6379", "redis://redis-1.redis:6379");
    assertThat(redis.resolvedReplicaAcks()).isEqualTo(1);
  }

  @Test
  void severalUrlsWithoutAModeMeanACluster() {
    RedisConfig redis =
        parse("redis: { urls: [\"redis://a:6379\", \"redis://b:6379\"] }\n").redis();

    assertThat(redis.resolvedMode()).isEqualTo(Mode.CLUSTER);
  }

  @Test
  void theEnvironmentVariableMayHoldACommaSeparatedClusterNodeList() {
    RedisConfig redis =
        parse(
                "redis: { url: \"redis://127.0.0.1:6379\", keyPrefix: \"gw:\" }\n",
                Map.of("CONDUIT_REDIS_URL", "redis://a:7000, redis://b:7001,redis://c:7002"))
            .redis();

    assertThat(redis.resolvedMode()).isEqualTo(Mode.CLUSTER);
    assertThat(redis.nodes()).containsExactly("redis://a:7000", "redis://b:7001", "redis://c:7002");
    assertThat(redis.keyPrefix()).isEqualTo("gw:");
  }

  @Test
  void theEnvironmentVariableAloneMakesARedisSection() {
    RedisConfig redis =
        parse("", Map.of("CONDUIT_REDIS_URL", "redis://a:7000,redis://b:7001")).redis();

    assertThat(redis.resolvedMode()).isEqualTo(Mode.CLUSTER);
  }

  @Test
  void sentinelNeedsTheMasterName() {
    RedisConfig redis =
        parse(
                """
                redis:
                  mode: sentinel
                  urls: ["redis://s1:26379", "redis://s2:26379"]
                  masterName: mymaster
                  replicaAcks: 0
                """)
            .redis();

    assertThat(redis.resolvedMode()).isEqualTo(Mode.SENTINEL);
    assertThat(redis.masterName()).isEqualTo("mymaster");
    assertThat(redis.resolvedReplicaAcks()).isZero();

    assertThatThrownBy(() -> parse("redis: { mode: sentinel, url: \"redis://s1:26379\" }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("conduit.yaml: redis.masterName: sentinel mode needs");
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> parse("redis: { mode: shards, url: \"redis://a:1\" }\n"))
        .hasMessageContaining("redis.mode: expected standalone, cluster or sentinel, got 'shards'");
    assertThatThrownBy(
            () -> parse("redis: { mode: standalone, url: \"redis://a:1,redis://b:2\" }\n"))
        .hasMessageContaining("redis.mode: standalone takes one URL, got 2");
    assertThatThrownBy(() -> parse("redis: { url: \"redis://a:1\", urls: [\"redis://b:2\"] }\n"))
        .hasMessageContaining("redis.urls: give redis.url or redis.urls, not both");
    assertThatThrownBy(() -> parse("redis: { urls: [\"redis://a:1\", \"http://b:2\"] }\n"))
        .hasMessageContaining("redis.urls[1]: expected a redis:// or rediss:// URL");
    assertThatThrownBy(() -> parse("redis: { urls: [] }\n"))
        .hasMessageContaining("redis.url: expected a redis:// or rediss:// URL");
    assertThatThrownBy(() -> parse("redis: { url: \"redis://a:1\", masterName: m }\n"))
        .hasMessageContaining("redis.masterName: is only used in sentinel mode");
    assertThatThrownBy(() -> parse("redis: { url: \"redis://a:1\", keyPrefix: \"x{y}:\" }\n"))
        .hasMessageContaining("redis.keyPrefix: may not contain { or }");
    assertThatThrownBy(() -> parse("redis: { url: \"redis://a:1\", replicaAcks: -1 }\n"))
        .hasMessageContaining("redis.replicaAcks: must be 0 or more");
  }

  @Test
  void credentialsNeverShowInErrorsOrInTheConfigText() {
    assertThatThrownBy(
            () -> parse("redis: { urls: [\"redis://a:1\", \"http://user:hunter2@b:2\"] }\n"))
        .hasMessageNotContaining("hunter2");
    RedisConfig redis =
        parse("redis: { urls: [\"redis://:hunter2@a:1\", \"redis://:hunter2@b:2\"] }\n").redis();
    assertThat(redis.toString()).doesNotContain("hunter2").contains("a:1").contains("b:2");
  }
}
