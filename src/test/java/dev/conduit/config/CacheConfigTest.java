package dev.conduit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.provider.ProviderRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cache:} section: defaults (off), per-alias overrides, and strict checking. */
class CacheConfigTest {
  private static ConduitConfig parse(String yaml) {
    return new ConfigLoader(Map.of(), ProviderRegistry.configTypes()).parse(yaml, "conduit.yaml");
  }

  @Test
  void withoutACacheSectionNothingIsCached() {
    CacheConfig cache = parse("server: { port: 8080 }\n").cache();

    assertThat(cache.enabled()).isFalse();
    assertThat(cache.enabledFor("gpt-4o")).isFalse();
    assertThat(cache.tiers()).containsExactly("memory");
    assertThat(cache.scope()).isEqualTo("key");
    assertThat(cache.chargeHits()).isFalse();
  }

  @Test
  void aliasesOverrideTheSection() {
    CacheConfig cache =
        parse(
                """
                redis: { url: "redis://127.0.0.1:6379" }
                cache:
                  enabled: true
                  ttlSeconds: 60
                  tiers: [memory, redis]
                  scope: group
                  chargeHits: true
                  models:
                    gpt-4o: { ttlSeconds: 5 }
                    embed: { enabled: false }
                """)
            .cache();

    assertThat(cache.tiers()).containsExactly("memory", "redis");
    assertThat(cache.ttlSecondsFor("gpt-4o")).isEqualTo(5);
    assertThat(cache.ttlSecondsFor("other")).isEqualTo(60);
    assertThat(cache.enabledFor("embed")).isFalse();
    assertThat(cache.enabledFor("other")).isTrue();
    assertThat(cache.scope()).isEqualTo("group");
    assertThat(cache.chargeHits()).isTrue();
  }

  @Test
  void mistakesNameTheKey() {
    for (List<String> bad :
        List.of(
            List.of("cache: { tiers: [disk] }", "cache.tiers[0]: expected memory or redis"),
            List.of("cache: { tiers: [redis] }", "cache.tiers: the redis tier needs a redis:"),
            List.of("cache: { scope: team }", "cache.scope: expected key, group or global"),
            List.of("cache: { ttlSeconds: 0 }", "cache.ttlSeconds"),
            List.of("cache: { ttl: 5 }", "cache.ttl: unknown key"),
            List.of("cache: { models: { a: { ttl: 5 } } }", "unknown key"),
            List.of("cache: { tiers: [memory, memory] }", "duplicate tier"))) {
      assertThatThrownBy(() -> parse(bad.get(0)))
          .as(bad.get(0))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(bad.get(1));
    }
  }
}
