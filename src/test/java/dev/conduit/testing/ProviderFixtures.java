package dev.conduit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.config.ProviderConfig;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.StreamChunk;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamTarget;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Golden fixtures of one provider: {@code src/test/resources/providers/<provider>/<case>/}, each
 * folder holding any of these pairs (written by hand from the provider's public API reference):
 *
 * <ul>
 *   <li>{@code canonical-request.json} → {@code upstream-request.json} (the body the adapter must
 *       send), plus optionally {@code upstream-call.json} ({@code url} and {@code headers} it must
 *       carry), or {@code upstream-request.error.json} (the 400 it must refuse with);
 *   <li>{@code upstream-response.json} (or {@code .txt} for a body that is not JSON) → {@code
 *       canonical-response.json}, or {@code canonical-response.error.txt} (a fragment of the
 *       invalid-response message);
 *   <li>{@code upstream-stream.sse} → {@code canonical-chunks.json}: {@code {"chunks": [...],
 *       "end": null | "what was missing", "invalid": "message fragment"}}; the stream is fed whole,
 *       byte by byte and in 7-byte pieces, and must read the same each way. A binary AWS event
 *       stream is described instead by {@code upstream-stream.eventstream.json} (see {@link
 *       EventStreamFrames#fromFixture}) and encoded by the test;
 *   <li>{@code error-response.json} ({@code {"status": N, "headers": {...}, "body": ...}}, headers
 *       optional) → {@code expected-error.json} (the {@link GatewayError}, and its {@code kind}, an
 *       {@link UpstreamError.Kind}).
 * </ul>
 */
public final class ProviderFixtures {
  private static final Path ROOT = Paths.get("src/test/resources/providers");

  private final ProviderAdapter adapter;
  private final UpstreamTarget target;

  /**
   * The fixtures of one case folder: the provider {@code config} describes, deployment {@code
   * model}, unless the folder's {@code provider.json} overrides {@code type}, {@code apiVersion} or
   * {@code model}.
   */
  public static ProviderFixtures forCase(Path folder, ProviderConfig config, String model)
      throws IOException {
    if (!exists(folder, "provider.json")) {
      return new ProviderFixtures(config, model);
    }
    JsonNode override = json(read(folder, "provider.json"));
    ProviderConfig changed =
        new ProviderConfig(
            config.name(),
            override.path("type").asText(config.type()),
            override.path("baseUrl").asText(config.baseUrl()),
            config.apiKey(),
            config.apiKeys(),
            config.timeouts(),
            override.path("apiVersion").asText(config.apiVersion()),
            config.region(),
            config.regionalEndpoints(),
            config.defaultMaxTokens());
    return new ProviderFixtures(changed, override.path("model").asText(model));
  }

  /** An adapter of the provider {@code config} describes, for deployment {@code model}. */
  public ProviderFixtures(ProviderConfig config, String model) {
    Provider provider = ProviderRegistry.build(List.of(config)).find(config.name()).orElseThrow();
    this.adapter = provider.adapter();
    this.target = Deployment.of(provider, model, null).target();
  }

  /** The case folders of one provider, named for the test report. */
  public static Stream<Named<Path>> cases(String provider) {
    try (Stream<Path> folders = Files.list(ROOT.resolve(provider))) {
      List<Named<Path>> cases =
          folders
              .filter(Files::isDirectory)
              .sorted()
              .map(folder -> Named.of(folder.getFileName().toString(), folder))
              .toList();
      assertThat(cases).as("fixture cases of " + provider).isNotEmpty();
      return cases.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks every pair the folder holds; at least one must be there. */
  public void check(Path folder) throws Exception {
    int checked = 0;
    if (exists(folder, "canonical-request.json")) {
      checkRequest(folder);
      checked++;
    }
    if (exists(folder, "upstream-response.json") || exists(folder, "upstream-response.txt")) {
      checkResponse(folder);
      checked++;
    }
    if (exists(folder, "upstream-stream.sse")) {
      checkStream(folder, Files.readAllBytes(folder.resolve("upstream-stream.sse")));
      checked++;
    }
    if (exists(folder, "upstream-stream.eventstream.json")) {
      checkStream(
          folder,
          EventStreamFrames.fromFixture(json(read(folder, "upstream-stream.eventstream.json"))));
      checked++;
    }
    if (exists(folder, "error-response.json")) {
      checkError(folder);
      checked++;
    }
    assertThat(checked).as("fixture files in " + folder).isPositive();
  }

  private void checkRequest(Path folder) throws Exception {
    ChatRequest request = CanonicalJson.request(read(folder, "canonical-request.json"));
    Future<UpstreamRequest> built = adapter.toUpstream(request, target);
    assertThat(built.isComplete()).as("translation needs no I/O here").isTrue();
    if (exists(folder, "upstream-request.error.json")) {
      JsonNode expected = json(read(folder, "upstream-request.error.json"));
      assertThat(built.failed()).as("the request is refused").isTrue();
      assertThat(built.cause()).isInstanceOf(GatewayException.class);
      GatewayError error = ((GatewayException) built.cause()).error();
      assertThat(error.status()).isEqualTo(expected.path("status").asInt());
      assertThat(error.param()).isEqualTo(expected.path("param").asText(null));
      assertThat(error.message()).contains(expected.path("message").asText());
      return;
    }
    assertThat(built.succeeded()).as(String.valueOf(built.cause())).isTrue();
    UpstreamRequest upstream = built.result();
    JsonNode actual = json(upstream.body().toString());
    JsonNode expected = json(read(folder, "upstream-request.json"));
    if (!actual.equals(expected)) {
      throw new AssertionError(
          "upstream request body differs\nexpected: "
              + pretty(expected)
              + "\nactual:   "
              + pretty(actual));
    }
    if (exists(folder, "upstream-call.json")) {
      JsonNode call = json(read(folder, "upstream-call.json"));
      assertThat(upstream.method().name()).isEqualTo(call.path("method").asText("POST"));
      assertThat(upstream.url()).isEqualTo(call.path("url").asText());
      MultiMap headers = upstream.headers();
      for (Map.Entry<String, JsonNode> header : iterable(call.path("headers"))) {
        if (header.getValue().isNull()) {
          assertThat(headers.get(header.getKey())).as("header " + header.getKey()).isNull();
        } else {
          assertThat(headers.get(header.getKey()))
              .as("header " + header.getKey())
              .isEqualTo(header.getValue().asText());
        }
      }
    }
  }

  private void checkResponse(Path folder) throws Exception {
    String body =
        exists(folder, "upstream-response.json")
            ? read(folder, "upstream-response.json")
            : read(folder, "upstream-response.txt");
    if (exists(folder, "canonical-response.error.txt")) {
      String fragment = read(folder, "canonical-response.error.txt").trim();
      assertThatThrownBy(() -> adapter.fromUpstream(Buffer.buffer(body), target))
          .isInstanceOf(InvalidUpstreamResponse.class)
          .hasMessageContaining(fragment);
      return;
    }
    ChatResponse actual = adapter.fromUpstream(Buffer.buffer(body), target);
    ChatResponse expected = CanonicalJson.response(read(folder, "canonical-response.json"));
    if (!actual.equals(expected)) {
      throw new AssertionError(
          "canonical response differs\nexpected: "
              + CanonicalJson.write(expected)
              + "\nactual:   "
              + CanonicalJson.write(actual));
    }
  }

  private void checkStream(Path folder, byte[] stream) throws Exception {
    JsonNode expected = json(read(folder, "canonical-chunks.json"));
    StreamOutcome whole = parse(stream, stream.length);
    StreamOutcome byteByByte = parse(stream, 1);
    StreamOutcome pieces = parse(stream, 7);
    List<StreamChunk> expectedChunks = CanonicalJson.chunks(expected.path("chunks"));
    if (!whole.chunks.equals(expectedChunks)) {
      throw new AssertionError(
          "chunks differ\nexpected: "
              + CanonicalJson.write(expectedChunks)
              + "\nactual:   "
              + CanonicalJson.write(whole.chunks));
    }
    assertThat(byteByByte).as("fed byte by byte").isEqualTo(whole);
    assertThat(pieces).as("fed in 7-byte pieces").isEqualTo(whole);
    String invalid = expected.path("invalid").asText(null);
    if (invalid != null) {
      assertThat(whole.invalid).as("invalid stream").isNotNull().contains(invalid);
    } else {
      assertThat(whole.invalid).as("invalid stream").isNull();
      assertThat(whole.end).as("end of stream").isEqualTo(expected.path("end").asText(null));
    }
  }

  private StreamOutcome parse(byte[] stream, int pieceSize) {
    StreamParser parser = adapter.newStreamParser(target);
    List<StreamChunk> chunks = new ArrayList<>();
    try {
      for (int start = 0; start < stream.length; start += pieceSize) {
        int end = Math.min(stream.length, start + pieceSize);
        parser.feed(Buffer.buffer().appendBytes(stream, start, end - start), chunks::add);
      }
      return new StreamOutcome(chunks, parser.end(chunks::add), null);
    } catch (InvalidUpstreamResponse e) {
      return new StreamOutcome(chunks, null, e.getMessage());
    }
  }

  private void checkError(Path folder) throws Exception {
    JsonNode response = json(read(folder, "error-response.json"));
    JsonNode body = response.path("body");
    Buffer bytes = Buffer.buffer(body.isTextual() ? body.asText() : body.toString());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, JsonNode> header : iterable(response.path("headers"))) {
      headers.add(header.getKey(), header.getValue().asText());
    }
    UpstreamError mapped = adapter.mapError(response.path("status").asInt(), headers, bytes);
    GatewayError actual = mapped.error();
    GatewayError expected =
        CanonicalJson.read(read(folder, "expected-error.json"), GatewayError.class);
    assertThat(actual).isEqualTo(expected);
    String kind = json(read(folder, "expected-error.json")).path("kind").asText(null);
    assertThat(kind).as("the kind in expected-error.json").isNotNull();
    assertThat(mapped.kind()).isEqualTo(UpstreamError.Kind.valueOf(kind));
    assertThat(mapped.kind().isRetryable()).as("retryable kind").isEqualTo(actual.isRetryable());
    assertThat(actual.isRetryable())
        .isEqualTo(
            json(read(folder, "expected-error.json"))
                .path("retryable")
                .asBoolean(expected.isRetryable()));
  }

  private record StreamOutcome(List<StreamChunk> chunks, String end, String invalid) {}

  private static boolean exists(Path folder, String file) {
    return Files.exists(folder.resolve(file));
  }

  private static String read(Path folder, String file) throws IOException {
    return Files.readString(folder.resolve(file));
  }

  private static JsonNode json(String text) throws IOException {
    return CanonicalJson.MAPPER.readTree(text);
  }

  private static String pretty(JsonNode node) throws IOException {
    return CanonicalJson.MAPPER.writeValueAsString(node);
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
    return object::fields;
  }
}
