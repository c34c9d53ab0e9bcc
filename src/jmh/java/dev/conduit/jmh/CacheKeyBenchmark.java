package dev.conduit.jmh;

import dev.conduit.cache.CacheKey;
import dev.conduit.core.Endpoint;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The response cache's key of a request: canonical JSON of the body, then SHA-256. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheKeyBenchmark {
  @Param({"small", "agent"})
  public String body;

  private byte[] bytes;

  @Setup
  public void setUp() {
    bytes = Samples.body(body);
  }

  @Benchmark
  public String key() {
    return CacheKey.of(Endpoint.CHAT_COMPLETIONS, "gpt-4o", "key:vk-1", "conduit:", bytes);
  }
}
