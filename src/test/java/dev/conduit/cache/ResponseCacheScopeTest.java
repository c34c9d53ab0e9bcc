package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.config.CacheConfig;
import dev.conduit.config.RedisConfig;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Usage;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.store.KeyLimits;
import dev.conduit.store.VirtualKey;
import dev.conduit.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cache's scopes and its memory tier on their own (no gateway): who shares a key, the byte
 * bound, and deleting by model or by the key that stored an answer.
 */
class ResponseCacheScopeTest {
  private static final byte[] BODY =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  private final GatewayMetrics metrics = new GatewayMetrics();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

  @AfterEach
  void close() {
    metrics.close();
  }

  private ResponseCache cache(String scope, long maxBytes) {
    CacheConfig config =
        new CacheConfig(
            true, 60L, List.of("memory"), maxBytes, null, scope, null, null, null, null, null);
    return new ResponseCache(config, clock, metrics, null, null, new RedisConfig("redis://unused"));
  }

  private static VirtualKey key(String id, String group) {
    return new VirtualKey(
        id,
        id,
        "hash-" + id,
        "hint",
        null,
        null,
        null,
        true,
        null,
        Instant.EPOCH,
        0,
        new KeyLimits(null, null, null, null, null, group, null));
  }

  private static final VirtualKey A1 = key("a1", "group-a");
  private static final VirtualKey A2 = key("a2", "group-a");
  private static final VirtualKey B1 = key("b1", "group-b");
  private static final VirtualKey LONE = key("lone", null);
  private static final VirtualKey LONE2 = key("lone2", null);

  private static String keyOf(ResponseCache cache, VirtualKey caller) {
    return cache.key(Endpoint.CHAT_COMPLETIONS, "m", caller, BODY);
  }

  @Test
  void eachScopeSharesWithWhomItSays() {
    ResponseCache byKey = cache("key", 1 << 20);
    assertThat(keyOf(byKey, A1)).isNotEqualTo(keyOf(byKey, A2));

    ResponseCache byGroup = cache("group", 1 << 20);
    assertThat(keyOf(byGroup, A1)).isEqualTo(keyOf(byGroup, A2));
    assertThat(keyOf(byGroup, A1)).isNotEqualTo(keyOf(byGroup, B1));
    assertThat(keyOf(byGroup, LONE)).isNotEqualTo(keyOf(byGroup, LONE2));

    ResponseCache global = cache("global", 1 << 20);
    assertThat(keyOf(global, A1)).isEqualTo(keyOf(global, B1)).isEqualTo(keyOf(global, LONE));
  }

  private CacheEntry entry(ResponseCache cache, String key, String model, String keyId, int size) {
    return new CacheEntry(
        key,
        model,
        keyId,
        Endpoint.CHAT_COMPLETIONS,
        clock.millis(),
        cache.expiresAt(model),
        Usage.of(1, 1),
        null,
        "x".repeat(size).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void theMemoryTierStaysWithinItsBytes() {
    ResponseCache cache = cache("key", 200_000);
    for (int i = 0; i < 100; i++) {
      cache.store(entry(cache, "k" + i, "m", "a1", 10_000));
    }
    ResponseCache.Stats stats = cache.stats().result();
    assertThat(stats.memoryBytes()).isLessThanOrEqualTo(200_000);
    assertThat(stats.memoryEntries()).isLessThan(100).isPositive();
  }

  @Test
  void deletesPickByModelAndByTheKeyThatStored() {
    ResponseCache cache = cache("key", 1 << 20);
    cache.store(entry(cache, "k1", "m1", "a1", 10));
    cache.store(entry(cache, "k2", "m1", "a2", 10));
    cache.store(entry(cache, "k3", "m2", "a1", 10));

    assertThat(cache.delete("m1", "a1").result().memory()).isEqualTo(1);
    assertThat(cache.delete(null, "a1").result().memory()).isEqualTo(1);
    assertThat(cache.lookup("k2", "m1", null).result()).isNotNull();
    assertThat(cache.delete(null, null).result().memory()).isEqualTo(1);
    assertThat(cache.lookup("k2", "m1", null).result()).isNull();
  }

  @Test
  void anEntryLargerThanTheLimitIsNotStored() {
    CacheConfig config =
        new CacheConfig(
            true, 60L, List.of("memory"), 1L << 20, 100L, "key", null, null, null, null, null);
    ResponseCache cache = new ResponseCache(config, clock, metrics, null, null, null);
    assertThat(cache.store(entry(cache, "big", "m", "a1", 101))).isFalse();
    assertThat(cache.store(entry(cache, "small", "m", "a1", 100))).isTrue();
  }
}
