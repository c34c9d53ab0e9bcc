package dev.conduit.jmh;

import dev.conduit.cache.CacheEntry;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Usage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A Redis cache entry's stored form: written on every Redis-tier store, read on every Redis-tier
 * hit. The answer is the bench mock's chat completion, or one of about 8 KB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheEntryBenchmark {
  @Param({"mock", "8k"})
  public String answer;

  private CacheEntry entry;
  private byte[] stored;

  @Setup
  public void setUp() {
    byte[] body =
        answer.equals("mock")
            ? Samples.OPENAI_COMPLETION
            : ("{\"choices\":[{\"message\":{\"content\":\""
                    + "text, \\\"quoted\\\" ".repeat(400)
                    + "\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
    entry =
        new CacheEntry(
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "gpt-4o",
            "0193a5b4-7c1d-7e2f-8a3b-4c5d6e7f8091",
            Endpoint.CHAT_COMPLETIONS,
            1_764_800_000_000L,
            1_764_800_120_000L,
            new Usage(12, 14, 0, 0),
            26_000L,
            body);
    stored = entry.serialize();
  }

  @Benchmark
  public byte[] serialize() {
    return entry.serialize();
  }

  @Benchmark
  public CacheEntry deserialize() {
    return CacheEntry.deserialize(stored);
  }
}
