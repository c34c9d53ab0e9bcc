package dev.conduit.jmh;

import dev.conduit.config.ProviderConfig;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamTarget;
import dev.conduit.route.Deployment;
import dev.conduit.testing.CanonicalJson;
import dev.conduit.testing.EventStreamFrames;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * Bedrock's stream fixture describes binary event-stream frames: it is encoded as the fixture test
 * does and fed in 4 KB reads, as a socket would deliver it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TranslationBenchmark {
  private static final Path FIXTURES = Path.of("src/test/resources/providers");

  /** As {@code BedrockFixturesTest} configures it (AWS's documented example credentials). */
  private static final ProviderConfig BEDROCK =
      new ProviderConfig(
          "bench",
          "bedrock",
          null,
          null,
          List.of(),
          null,
          null,
          "us-east-1",
          null,
          null,
          Map.of(
              "accessKeyId",
              "AKIDEXAMPLE",
              "secretAccessKey",
              "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

  @Param({
    "openai/text-basic",
    "anthropic/text-basic",
    "azure/chat-dated-api",
    "gemini/text-basic",
    "bedrock/text-basic"
  })
  public String fixture;

  private ProviderAdapter adapter;
  private UpstreamTarget target;
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
        type.equals("bedrock")
            ? BEDROCK
            : new ProviderConfig("bench", type, baseUrl, "sk-bench-0123456789", List.of(), null);
    Provider provider = ProviderRegistry.build(List.of(config)).find("bench").orElseThrow();
    adapter = provider.adapter();
    target = Deployment.of(provider, "bench-model", null).target();
    request = CanonicalJson.request(Files.readString(folder.resolve("canonical-request.json")));
    response = Buffer.buffer(Files.readAllBytes(folder.resolve("upstream-response.json")));
    stream =
        type.equals("bedrock")
            ? inReads(
                EventStreamFrames.fromFixture(
                    CanonicalJson.MAPPER.readTree(
                        Files.readString(folder.resolve("upstream-stream.eventstream.json")))),
                4096)
            : Samples.pieces(Files.readAllBytes(folder.resolve("upstream-stream.sse")), "event");
  }

  private static List<Buffer> inReads(byte[] stream, int readBytes) {
    List<Buffer> reads = new java.util.ArrayList<>();
    for (int start = 0; start < stream.length; start += readBytes) {
      reads.add(
          Buffer.buffer(
              java.util.Arrays.copyOfRange(
                  stream, start, Math.min(stream.length, start + readBytes))));
    }
    return reads;
  }

  @Benchmark
  public UpstreamRequest toUpstream() {
    return adapter.toUpstream(request, target).result();
  }

  @Benchmark
  public ChatResponse fromUpstream() {
    return adapter.fromUpstream(response, target);
  }

  /** The whole fixture stream; divide by its event count for the cost per event. */
  @Benchmark
  public void streamParser(Blackhole sink) {
    StreamParser parser = adapter.newStreamParser(target);
    for (Buffer piece : stream) {
      parser.feed(piece, sink::consume);
    }
    sink.consume(parser.end(sink::consume));
  }
}
