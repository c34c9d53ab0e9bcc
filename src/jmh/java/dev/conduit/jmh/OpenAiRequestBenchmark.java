package dev.conduit.jmh;

import dev.conduit.api.openai.OpenAiRequestRewriter;
import dev.conduit.api.openai.OpenAiRequestScan;
import dev.conduit.api.openai.OpenAiRequestScanner;
import dev.conduit.pipeline.InboundCall;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Admission of every OpenAI-format request: the one-pass scan, then the model rewrite. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpenAiRequestBenchmark {
  @Param({"small", "agent", "100k-tokens"})
  public String body;

  private byte[] bytes;
  private OpenAiRequestScan scan;

  @Setup
  public void setUp() {
    bytes = Samples.body(body);
    scan = OpenAiRequestScanner.scan(bytes);
  }

  @Benchmark
  public OpenAiRequestScan scan() {
    return OpenAiRequestScanner.scan(bytes);
  }

  /** The pass-through rewrite: new model name, stream usage forced on. */
  @Benchmark
  public Buffer rewrite() {
    return OpenAiRequestRewriter.rewrite(
        bytes, scan, "gpt-4o-2024-08-06", InboundCall.StreamUsageOption.FORCE);
  }
}
