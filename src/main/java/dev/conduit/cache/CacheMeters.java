package dev.conduit.cache;

import dev.conduit.observe.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The cache's meters: hits and misses (by model and tier, in {@link GatewayMetrics}), entries and
 * bytes held, evictions, corrupt entries dropped, and lookup time. Thread-safe.
 */
final class CacheMeters {
  private final GatewayMetrics metrics;
  private final MeterRegistry registry;
  private final Map<Eviction, Counter> evictions = new ConcurrentHashMap<>();
  private final Map<String, Counter> corrupt = new ConcurrentHashMap<>();
  private final Map<String, Timer> lookups = new ConcurrentHashMap<>();

  CacheMeters(GatewayMetrics metrics) {
    this.metrics = metrics;
    this.registry = metrics.registry();
  }

  void hit(String model, String tier) {
    metrics.cacheHit(model, tier);
  }

  void miss(String model, String tier) {
    metrics.cacheMiss(model, tier);
  }

  void series(String model, String tier) {
    metrics.cacheSeries(model, tier);
  }

  void memoryGauges(Supplier<Long> entries, Supplier<Long> bytes) {
    Gauge.builder("conduit.cache.entries", () -> entries.get())
        .description("Answers held by the response cache")
        .tags("tier", "memory")
        .register(registry);
    Gauge.builder("conduit.cache.bytes", () -> bytes.get())
        .description("Bytes of answers held by the response cache")
        .tags("tier", "memory")
        .register(registry);
  }

  /** Counted on every store into a full memory tier: found by a key cheaper to make than Tags. */
  void evicted(String tier, String reason) {
    evictions
        .computeIfAbsent(
            new Eviction(tier, reason),
            eviction ->
                Counter.builder("conduit.cache.evictions")
                    .description("Answers the cache dropped: expired, or for room")
                    .tags("tier", tier, "reason", reason)
                    .register(registry))
        .increment();
  }

  private record Eviction(String tier, String reason) {}

  void corrupt(String tier) {
    corrupt
        .computeIfAbsent(
            tier,
            t ->
                Counter.builder("conduit.cache.corrupt")
                    .description("Stored answers that could not be read, dropped")
                    .tags("tier", t)
                    .register(registry))
        .increment();
  }

  void lookup(String tier, long nanos) {
    lookups
        .computeIfAbsent(
            tier,
            t ->
                Timer.builder("conduit.cache.lookup")
                    .description("Time to look an answer up in the response cache")
                    .tags("tier", t)
                    .serviceLevelObjectives(
                        Duration.ofNanos(50_000),
                        Duration.ofNanos(200_000),
                        Duration.ofMillis(1),
                        Duration.ofMillis(5),
                        Duration.ofMillis(25))
                    .register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}
