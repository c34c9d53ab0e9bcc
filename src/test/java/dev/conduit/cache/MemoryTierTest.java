package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.Endpoint;
import dev.conduit.core.Usage;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.testing.MutableClock;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The memory tier on its own: bounded by bytes, entries expiring on the gateway's clock, and every
 * eviction counted by reason (the upkeep that evicts runs on the cache's upkeep thread, or on the
 * caller when the tier is asked for its size).
 */
class MemoryTierTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final CacheMeters meters = new CacheMeters(metrics);

  private CacheEntry entry(int n, long ttlMillis) {
    long now = clock.millis();
    return new CacheEntry(
        "key-" + n,
        "gpt",
        "vk-1",
        Endpoint.CHAT_COMPLETIONS,
        now,
        now + ttlMillis,
        new Usage(10, 5, 0, 0),
        42L,
        new byte[1_000]);
  }

  private double evictions(String reason) {
    Counter counter =
        metrics
            .registry()
            .find("conduit.cache.evictions")
            .tags("tier", "memory", "reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void storesPastTheByteBoundEvictTheOldestAndCountEachEviction() {
    int weight = entry(0, 60_000).weight();
    MemoryTier tier = new MemoryTier(10L * weight, clock, meters);
    for (int n = 0; n < 50; n++) {
      tier.put(entry(n, 60_000));
    }

    long held = tier.entries();
    assertThat(tier.bytes()).isLessThanOrEqualTo(10L * weight);
    assertThat(held).isBetween(1L, 10L);
    assertThat(evictions("size")).isEqualTo(50 - held);
    assertThat(evictions("expired")).isZero();
  }

  @Test
  void anExpiredEntryIsNotServedAndItsEvictionIsCountedAsExpired() {
    MemoryTier tier = new MemoryTier(1_000_000, clock, meters);
    tier.put(entry(1, 1_000));
    tier.put(entry(2, 60_000));
    assertThat(tier.get("key-1")).isNotNull();

    clock.advance(Duration.ofSeconds(2));

    assertThat(tier.get("key-1")).isNull();
    assertThat(tier.get("key-2")).isNotNull();
    assertThat(tier.entries()).isEqualTo(1);
    assertThat(evictions("expired")).isEqualTo(1);
    assertThat(evictions("size")).isZero();
  }

  @Test
  void theUpkeepThreadRunsEveryTaskHandedOverFromManyThreads() throws Exception {
    UpkeepThread upkeep = new UpkeepThread("upkeep-test", 100);
    int threads = 4;
    int tasksEach = 20_000;
    CountDownLatch ran = new CountDownLatch(threads * tasksEach);
    Thread[] submitters = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      submitters[t] =
          new Thread(
              () -> {
                for (int i = 0; i < tasksEach; i++) {
                  upkeep.execute(ran::countDown);
                }
              });
      submitters[t].start();
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }

    // Generous: a lost wake-up would leave tasks in the queue for good.
    assertThat(ran.await(60, TimeUnit.SECONDS)).isTrue();
  }
}
