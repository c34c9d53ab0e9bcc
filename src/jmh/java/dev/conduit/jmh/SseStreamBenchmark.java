package dev.conduit.jmh;

import dev.conduit.api.openai.OpenAiDialect;
import dev.conduit.api.openai.OpenAiPassthrough;
import dev.conduit.core.Endpoint;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.provider.sse.SseEventSplitter;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One whole streamed response (100 chunks, usage, [DONE]) through the SSE splitter alone, and
 * through the OpenAI pass-through's stream handling (splitting, usage scan, usage-chunk removal).
 * Divide by 102 events for the cost per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SseStreamBenchmark {
  /** How the network cut the stream: one event per read, or fixed-size reads. */
  @Param({"event", "4096", "64"})
  public String split;

  private List<Buffer> pieces;
  private OpenAiPassthrough passthrough;

  @Setup
  public void setUp() {
    pieces = Samples.pieces(Samples.openAiStream(100), split);
    byte[] body = Samples.body("small");
    InboundCall call =
        new InboundCall(
            WireProtocol.OPENAI,
            Endpoint.CHAT_COMPLETIONS,
            body,
            "bench",
            true,
            false,
            null,
            (model, usage) -> Buffer.buffer(body),
            OpenAiDialect.INSTANCE);
    passthrough = new OpenAiPassthrough(call, Samples.deployment("openai"));
  }

  @Benchmark
  public void split(Blackhole sink) {
    SseEventSplitter splitter = new SseEventSplitter();
    for (Buffer piece : pieces) {
      splitter.feed(piece, sink::consume);
    }
  }

  @Benchmark
  public Object passthroughStream(Blackhole sink) {
    StreamTranslator translator = passthrough.streamTranslator();
    for (Buffer piece : pieces) {
      translator.onBytes(piece, sink::consume);
    }
    sink.consume(translator.onEnd(sink::consume));
    return translator.usage();
  }
}
