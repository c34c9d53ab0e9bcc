package dev.conduit.jmh;

import dev.conduit.core.Ids;
import dev.conduit.keys.KeyMaterial;
import dev.conduit.observe.GatewayMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** What every request pays besides the proxying: key hashing, ids, metrics. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestBookkeepingBenchmark {
  private final String key = KeyMaterial.newVirtualKey();
  private GatewayMetrics metrics;

  @Setup
  public void setUp() {
    metrics = new GatewayMetrics();
  }

  @TearDown
  public void tearDown() {
    metrics.close();
  }

  /** The lookup key of a presented virtual key. */
  @Benchmark
  public String hashVirtualKey() {
    return KeyMaterial.sha256Hex(key);
  }

  @Benchmark
  public String requestId() {
    return Ids.uuid7();
  }

  /** The metrics of one finished request (counter, timer, two token counters). */
  @Benchmark
  public void recordRequestMetrics() {
    metrics.recordRequest("openai", "gpt-4o-mini", true, 1_234_567, 19, 10);
  }
}
