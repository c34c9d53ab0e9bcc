package dev.conduit.jmh;

import dev.conduit.config.ProviderConfig;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.route.Deployment;
import dev.conduit.testing.CanonicalJson;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Each provider translation, on its golden fixtures ({@code src/test/resources/providers/
 * <provider>/<case>/}): canonical request to upstream request, upstream response to canonical
 * response, and an upstream stream (fed one event per read) to canonical chunks. To cover a new
 * provider, add {@code "<provider>/<case>"} (a case with all three files) to {@link #fixture}.
 * Bedrock is not here yet: its stream fixture is a JSON description of binary event-stream
 * frames, which the fixture test encodes; the benchmark would need the same encoder.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TranslationBenchmark {
  private static final Path FIXTURES = Path.of("src/test/resources/providers");

  @Param({"openai/text-basic", "anthropic/text-basic", "azure/chat-dated-api",
      "gemini/text-basic"})
  public String fixture;

  private ProviderAdapter adapter;
  private Deployment deployment;
  private ChatRequest request;
  private Buffer response;
  private List<Buffer> stream;

  @Setup
  public void setUp() throws IOException {
    Path folder = FIXTURES.resolve(fixture);
    String folderName = fixture.substring(0, fixture.indexOf('/'));
    // Provider types and base URLs as the fixture tests configure them.
    String type = folderName.equals("gemini") ? "googlecloud" : folderName;
    String baseUrl = type.equals("azure") ? "https://contoso.openai.azure.com" : null;
    ProviderConfig config =
        new ProviderConfig("bench", type, baseUrl, "sk-bench-0123456789", List.of(), null);
    Provider provider = ProviderRegistry.build(List.of(config)).find("bench").orElseThrow();
    adapter = provider.adapter();
    deployment = Deployment.of(provider, "bench-model", null);
    request = CanonicalJson.request(Files.readString(folder.resolve("canonical-request.json")));
    response = Buffer.buffer(Files.readAllBytes(folder.resolve("upstream-response.json")));
    stream = Samples.pieces(Files.readAllBytes(folder.resolve("upstream-stream.sse")), "event");
  }

  @Benchmark
  public UpstreamRequest toUpstream() {
    return adapter.toUpstream(request, deployment).result();
  }

  @Benchmark
  public ChatResponse fromUpstream() {
    return adapter.fromUpstream(response, deployment);
  }

  /** The whole fixture stream; divide by its event count for the cost per event. */
  @Benchmark
  public void streamParser(Blackhole sink) {
    StreamParser parser = adapter.newStreamParser(deployment);
    for (Buffer piece : stream) {
      parser.feed(piece, sink::consume);
    }
    sink.consume(parser.end(sink::consume));
  }
}
