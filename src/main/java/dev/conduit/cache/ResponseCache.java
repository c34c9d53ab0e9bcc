package dev.conduit.cache;

import dev.conduit.config.CacheConfig;
import dev.conduit.config.RedisConfig;
import dev.conduit.core.Endpoint;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.store.VirtualKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The response cache: exact-match answers in memory, in Redis, or both (a near cache: memory first,
 * then Redis, whose hits are copied into memory). Keys are {@link CacheKey}s within a scope (one
 * virtual key, its group, or everyone). Lookups never fail: anything wrong is a miss. Thread-safe;
 * non-blocking (a lookup waits for Redis at most {@code cache.redisLookupMs}).
 */
public final class ResponseCache {
  private final CacheConfig config;
  private final Clock clock;
  private final CacheMeters meters;
  private final MemoryTier memory;
  private final RedisTier redis;
  private final String namespace;
  private final String lastTier;
  private final Doorkeeper doorkeeper;

  /**
   * @param redis the gateway's Redis client; null without one (then no Redis tier)
   * @param redisConfig the {@code redis:} section (null without one): its key prefix is part of
   *     every key, so gateways sharing a Redis never meet; its mode says how to walk the keys
   */
  public ResponseCache(
      CacheConfig config,
      Clock clock,
      GatewayMetrics metrics,
      Redis redis,
      Vertx vertx,
      RedisConfig redisConfig) {
    this.config = config;
    this.clock = clock;
    this.meters = new CacheMeters(metrics);
    this.memory = config.usesMemory() ? new MemoryTier(config.maxBytes(), clock, meters) : null;
    this.redis =
        config.usesRedis() && redis != null
            ? new RedisTier(
                redis,
                redisConfig != null && redisConfig.cluster(),
                new KeyScan(redis, vertx, redisConfig),
                vertx,
                config.redisLookupMs(),
                meters)
            : null;
    this.namespace = redisConfig == null ? "" : redisConfig.keyPrefix();
    this.lastTier = this.redis != null ? "redis" : "memory";
    this.doorkeeper = config.minUses() > 1 ? new Doorkeeper(Doorkeeper.DEFAULT_BITS_LOG2) : null;
  }

  public CacheConfig config() {
    return config;
  }

  /** Whether answers of {@code alias} are cached at all. */
  public boolean enabledFor(String alias) {
    return config.enabledFor(alias);
  }

  /** Creates the hit and miss series of these aliases at 0, for dashboards and alerts. */
  public void series(Collection<String> aliases) {
    for (String alias : aliases) {
      if (memory != null) {
        meters.series(alias, "memory");
      }
      if (redis != null) {
        meters.series(alias, "redis");
      }
    }
  }

  /**
   * The key of a request in this cache's scope.
   *
   * @throws IllegalArgumentException when the body is not a JSON object
   */
  public String key(Endpoint endpoint, String alias, VirtualKey caller, byte[] body) {
    return CacheKey.of(endpoint, alias, scopeOf(caller), namespace, body);
  }

  private String scopeOf(VirtualKey caller) {
    return switch (config.scope()) {
      case "global" -> "global";
      case "group" ->
          caller.limits().groupId() != null
              ? "group:" + caller.limits().groupId()
              : "key:" + caller.id();
      default -> "key:" + caller.id();
    };
  }

  /**
   * Looks {@code key} up, counting a miss for {@code alias} when nothing is found (a hit is counted
   * by {@link #served} once it was replayed, or as a miss by {@link #unusable}).
   *
   * @param maxAgeSeconds the oldest answer the caller accepts; null for any unexpired one
   * @return the hit, or null for a miss
   */
  public Future<Hit> lookup(String key, String alias, Long maxAgeSeconds) {
    long started = System.nanoTime();
    if (memory != null) {
      CacheEntry entry = fresh(memory.get(key), maxAgeSeconds);
      meters.lookup("memory", System.nanoTime() - started);
      if (entry != null) {
        return Future.succeededFuture(new Hit(entry, "memory"));
      }
    }
    if (redis == null) {
      meters.miss(alias, lastTier);
      return Future.succeededFuture();
    }
    long redisStarted = System.nanoTime();
    return redis
        .get(key)
        .map(
            found -> {
              meters.lookup("redis", System.nanoTime() - redisStarted);
              CacheEntry entry = fresh(found, maxAgeSeconds);
              if (entry == null) {
                meters.miss(alias, lastTier);
                return null;
              }
              if (memory != null) {
                memory.put(entry);
              }
              return new Hit(entry, "redis");
            });
  }

  /** Counts {@code hit} as a hit of {@code alias}: the caller was answered from it. */
  public void served(Hit hit, String alias) {
    meters.hit(alias, hit.tier());
  }

  /** Counts a miss of {@code alias}: the entry found could not answer in the form asked for. */
  public void unusable(String alias) {
    meters.miss(alias, lastTier);
  }

  private CacheEntry fresh(CacheEntry entry, Long maxAgeSeconds) {
    if (entry == null) {
      return null;
    }
    long now = clock.millis();
    if (entry.expired(now)) {
      return null;
    }
    if (maxAgeSeconds != null && now - entry.storedAtMillis() > maxAgeSeconds * 1000) {
      return null;
    }
    return entry;
  }

  /**
   * Whether the answer to the request under {@code key} is to be stored now: always with {@code
   * cache.minUses: 1}; with 2, when this gateway has had that request before (each call counts it).
   */
  public boolean admits(String key) {
    return doorkeeper == null || doorkeeper.seenBefore(key);
  }

  /**
   * Stores a complete answer in every tier (unless larger than {@code cache.maxEntryBytes}).
   *
   * @return whether it was stored
   */
  public boolean store(CacheEntry entry) {
    if (entry.body().length > config.maxEntryBytes()) {
      return false;
    }
    if (memory != null) {
      memory.put(entry);
    }
    if (redis != null) {
      redis.put(entry, entry.expiresAtMillis() - clock.millis());
    }
    return true;
  }

  /** A new entry's expiry for {@code alias}, from now. */
  public long expiresAt(String alias) {
    return clock.millis() + config.ttlSecondsFor(alias) * 1000;
  }

  public long nowMillis() {
    return clock.millis();
  }

  /** Counts per tier (Redis by a SCAN of {@code cache:*}). */
  public Future<Stats> stats() {
    Long memoryEntries = memory == null ? null : memory.entries();
    Long memoryBytes = memory == null ? null : memory.bytes();
    Future<Long> redisEntries = redis == null ? Future.succeededFuture() : redis.count();
    return redisEntries.map(
        count -> new Stats(config.enabled(), memoryEntries, memoryBytes, count, redis != null));
  }

  /**
   * Deletes entries: all, or those of {@code model} and/or {@code keyId} (stored by that key).
   *
   * @return how many went from each tier
   */
  public Future<Removed> delete(String model, String keyId) {
    Predicate<CacheEntry> which =
        entry ->
            (model == null || model.equals(entry.model()))
                && (keyId == null || keyId.equals(entry.keyId()));
    long fromMemory = memory == null ? 0 : memory.removeIf(which);
    Future<Long> fromRedis =
        redis == null
            ? Future.succeededFuture(0L)
            : redis.delete(model == null && keyId == null ? null : which);
    return fromRedis.map(count -> new Removed(fromMemory, count));
  }

  /**
   * Copies the Redis entries of {@code model} into the memory tier.
   *
   * @return how many were loaded; null when there are not both tiers
   */
  public Future<Long> loadIntoMemory(String model) {
    if (redis == null || memory == null) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    return redis
        .find(entry -> Objects.equals(entry.model(), model) && !entry.expired(now))
        .map(
            entries -> {
              entries.forEach(memory::put);
              return (long) entries.size();
            });
  }

  /**
   * A cached answer.
   *
   * @param tier where it was found: {@code memory} or {@code redis}
   */
  public record Hit(CacheEntry entry, String tier) {}

  /** Per tier: entries and bytes (memory), entries (Redis); null for a tier not in use. */
  public record Stats(
      boolean enabled, Long memoryEntries, Long memoryBytes, Long redisEntries, boolean redis) {}

  /** Entries deleted per tier. */
  public record Removed(long memory, long redis) {}
}
