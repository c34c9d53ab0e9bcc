package dev.conduit.jmh;

import dev.conduit.cache.CacheEntry;
import dev.conduit.cache.ResponseCache;
import dev.conduit.config.CacheConfig;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Usage;
import dev.conduit.observe.GatewayMetrics;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The memory tier's part of a miss that stores its answer: a lookup that finds nothing, then a
 * store into a tier already full (so each store evicts). Caffeine's upkeep runs on a thread of its
 * own: run the benchmark on one core ({@code taskset -c 0}) to count it, as on a gateway pinned to
 * one core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheStoreBenchmark {
  private static final int KEYS = 1 << 20; // far more than the tier holds: every lookup misses

  private ResponseCache cache;
  private String[] keys;
  private int next;

  @Setup
  public void setUp() {
    CacheConfig config =
        new CacheConfig(
            true, 120L, List.of("memory"), 32L << 20, null, null, null, null, null, null, null);
    cache = new ResponseCache(config, Clock.systemUTC(), new GatewayMetrics(), null, null, null);
    keys = new String[KEYS];
    byte[] hash = new byte[32];
    for (int i = 0; i < KEYS; i++) {
      hash[0] = (byte) i;
      hash[1] = (byte) (i >> 8);
      hash[2] = (byte) (i >> 16);
      keys[i] = HexFormat.of().formatHex(hash);
    }
    for (int i = 0; i < KEYS / 4; i++) {
      missAndStore(); // fills the tier
    }
  }

  @Benchmark
  public boolean missAndStore() {
    String key = keys[next];
    next = (next + 1) & (KEYS - 1);
    if (cache.lookup(key, "gpt-4o", null).result() != null) {
      throw new IllegalStateException("a lookup of a new key hit");
    }
    long now = cache.nowMillis();
    return cache.store(
        new CacheEntry(
            key,
            "gpt-4o",
            "0193a5b4-7c1d-7e2f-8a3b-4c5d6e7f8091",
            Endpoint.CHAT_COMPLETIONS,
            now,
            cache.expiresAt("gpt-4o"),
            new Usage(12, 14, 0, 0),
            26_000L,
            Samples.OPENAI_COMPLETION.clone()));
  }
}
