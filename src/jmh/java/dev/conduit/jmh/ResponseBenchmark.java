package dev.conduit.jmh;

import dev.conduit.api.openai.OpenAiDialect;
import dev.conduit.api.openai.OpenAiPassthrough;
import dev.conduit.core.Endpoint;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.TranslatedBody;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A whole (non-streamed) response on its way back: the pass-through reads only its usage. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResponseBenchmark {
  private OpenAiPassthrough passthrough;
  private Buffer body;

  @Setup
  public void setUp() {
    byte[] request = Samples.body("small");
    InboundCall call =
        new InboundCall(
            WireProtocol.OPENAI,
            Endpoint.CHAT_COMPLETIONS,
            request,
            "bench",
            false,
            false,
            null,
            (model, usage) -> Buffer.buffer(request),
            OpenAiDialect.INSTANCE);
    passthrough = new OpenAiPassthrough(call, Samples.deployment("openai"));
    body = Buffer.buffer(Samples.OPENAI_COMPLETION);
  }

  @Benchmark
  public TranslatedBody openAiPassthrough() {
    return passthrough.translateBody(body);
  }
}
