package dev.conduit.config;

import java.util.List;
import java.util.Map;

/**
 * The response cache ({@code cache:}): exact-match answers kept in memory, in Redis, or both.
 * Disabled by default, so a gateway without this section behaves as before.
 *
 * @param enabled whether answers are cached at all
 * @param ttlSeconds how long an answer is served from the cache
 * @param tiers {@code memory}, {@code redis}, or both (a near cache: memory in front of Redis)
 * @param maxBytes the memory tier's size bound, counted in bytes of stored answers
 * @param maxEntryBytes an answer larger than this is not stored
 * @param scope who shares answers: {@code key} (one virtual key), {@code group} (the key's group; a
 *     key without a group alone) or {@code global}
 * @param chargeHits whether a hit costs the caller what the stored answer cost (by default 0)
 * @param storeTruncated whether answers that stopped at the output limit ({@code finish_reason:
 *     length}) are stored too
 * @param redisLookupMs how long a lookup waits for Redis before it counts as a miss
 * @param minUses how many requests for one answer before it is stored: 1 (the first answer is
 *     stored) or 2 (stored when the same request comes a second time, as nginx's {@code
 *     proxy_cache_min_uses 2}: traffic of mostly unique requests then stores almost nothing)
 * @param models per alias: {@code enabled} and {@code ttlSeconds} overrides
 */
public record CacheConfig(
    Boolean enabled,
    Long ttlSeconds,
    List<String> tiers,
    Long maxBytes,
    Long maxEntryBytes,
    String scope,
    Boolean chargeHits,
    Boolean storeTruncated,
    Long redisLookupMs,
    Integer minUses,
    Map<String, AliasCache> models) {

  public static final List<String> TIERS = List.of("memory", "redis");
  public static final List<String> SCOPES = List.of("key", "group", "global");

  public CacheConfig {
    enabled = enabled != null && enabled;
    ttlSeconds = ttlSeconds == null ? 3_600L : ttlSeconds;
    tiers = tiers == null ? List.of("memory") : List.copyOf(tiers);
    maxBytes = maxBytes == null ? 268_435_456L : maxBytes;
    maxEntryBytes = maxEntryBytes == null ? 1_048_576L : maxEntryBytes;
    scope = scope == null ? "key" : scope;
    chargeHits = chargeHits != null && chargeHits;
    storeTruncated = storeTruncated != null && storeTruncated;
    redisLookupMs = redisLookupMs == null ? 5L : redisLookupMs;
    minUses = minUses == null ? 1 : minUses;
    models = models == null ? Map.of() : Map.copyOf(models);
  }

  public static CacheConfig defaults() {
    return new CacheConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether answers of {@code alias} are cached. */
  public boolean enabledFor(String alias) {
    AliasCache override = models.get(alias);
    return override != null && override.enabled() != null ? override.enabled() : enabled;
  }

  /** How long answers of {@code alias} are kept, in seconds. */
  public long ttlSecondsFor(String alias) {
    AliasCache override = models.get(alias);
    return override != null && override.ttlSeconds() != null ? override.ttlSeconds() : ttlSeconds;
  }

  public boolean usesMemory() {
    return tiers.contains("memory");
  }

  public boolean usesRedis() {
    return tiers.contains("redis");
  }

  /**
   * One alias's overrides; a null field keeps the {@code cache:} value.
   *
   * @param enabled whether the alias's answers are cached
   * @param ttlSeconds how long they are kept
   */
  public record AliasCache(Boolean enabled, Long ttlSeconds) {}
}
