package dev.conduit.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The in-process tier: a Caffeine cache bounded by the bytes of its answers (a weigher), each entry
 * expiring at its own time (per-alias TTLs), on the gateway's clock. Thread-safe: every event loop
 * shares one; Caffeine's upkeep runs on its own thread, never on an event loop.
 *
 * <p>That thread ({@link UpkeepThread}) runs the upkeep 5 ms after Caffeine asks for it, so the
 * stores arriving meanwhile share one run. Handed to the common fork-join pool at once, the upkeep
 * woke a pool thread after nearly every store: 7-9 % of the CPU of a stream of misses (measured in
 * bench/results/2026-12-03T1517Z.md). Evictions are counted by an eviction listener, which Caffeine
 * calls within the upkeep; a removal listener would be one more task handed over per eviction.
 */
final class MemoryTier {
  // 5 ms: at 14,000 stores a second, 70 share a run, well inside Caffeine's write buffer (128
  // per CPU, rounded up to a power of two), past which a writer would run the upkeep itself.
  private static final UpkeepThread UPKEEP = new UpkeepThread("conduit-cache-upkeep", 5_000);

  private final Cache<String, CacheEntry> cache;
  private final Clock clock;

  MemoryTier(long maxBytes, Clock clock, CacheMeters meters) {
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .executor(UPKEEP)
            .weigher((String key, CacheEntry entry) -> entry.weight())
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .expireAfter(
                new Expiry<String, CacheEntry>() {
                  @Override
                  public long expireAfterCreate(String key, CacheEntry entry, long now) {
                    return remainingNanos(entry);
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, CacheEntry entry, long now, long currentDuration) {
                    return remainingNanos(entry);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, CacheEntry entry, long now, long currentDuration) {
                    return currentDuration;
                  }
                })
            .evictionListener(
                (String key, CacheEntry entry, RemovalCause cause) ->
                    meters.evicted("memory", cause == RemovalCause.EXPIRED ? "expired" : "size"))
            .build();
    meters.memoryGauges(cache::estimatedSize, this::bytes);
  }

  private long remainingNanos(CacheEntry entry) {
    return TimeUnit.MILLISECONDS.toNanos(Math.max(0, entry.expiresAtMillis() - clock.millis()));
  }

  /** The entry under {@code key}, or null (an expired one is not returned). */
  CacheEntry get(String key) {
    CacheEntry entry = cache.getIfPresent(key);
    if (entry != null && entry.expired(clock.millis())) {
      cache.invalidate(key);
      return null;
    }
    return entry;
  }

  void put(CacheEntry entry) {
    cache.put(entry.key(), entry);
  }

  /** Removes the entries {@code which} picks; returns how many. */
  long removeIf(Predicate<CacheEntry> which) {
    long before = cache.estimatedSize();
    cache.asMap().values().removeIf(which);
    cache.cleanUp();
    return Math.max(0, before - cache.estimatedSize());
  }

  long entries() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  long bytes() {
    return cache.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
  }
}
