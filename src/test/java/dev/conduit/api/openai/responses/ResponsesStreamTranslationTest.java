package dev.conduit.api.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.anthropic.AnthropicStreamParser;
import dev.conduit.provider.gemini.GeminiStreamParser;
import dev.conduit.provider.openai.OpenAiStreamParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole translated streams, provider events to Responses events, from {@code
 * clients/responses-streams/<case>/}: {@code source.json} names the provider and its upstream
 * stream (a provider fixture's {@code upstream-stream.sse}), {@code client-stream.sse} is what the
 * caller must get. The upstream bytes are fed whole, byte by byte and in 7-byte pieces, and must
 * give the same events each way.
 */
class ResponsesStreamTranslationTest {
  private static final Path ROOT = Paths.get("src/test/resources/clients/responses-streams");
  private static final Function<JsonNode, GatewayError> ERRORS =
      error -> GatewayError.upstreamInvalid("test", error.toString());

  static Stream<Named<Path>> cases() throws IOException {
    try (Stream<Path> folders = Files.list(ROOT)) {
      return folders
          .filter(Files::isDirectory)
          .sorted()
          .map(folder -> Named.of(folder.getFileName().toString(), folder))
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void translate(Path folder) throws Exception {
    JsonNode source = Json.MAPPER.readTree(folder.resolve("source.json").toFile());
    byte[] upstream =
        Files.readAllBytes(Paths.get("src/test/resources").resolve(source.get("stream").asText()));
    String provider = source.get("provider").asText();
    String whole = translate(provider, upstream, upstream.length);
    String expected = Files.readString(folder.resolve("client-stream.sse"));

    assertThat(normalised(whole)).isEqualTo(normalised(expected));
    assertThat(translate(provider, upstream, 1)).isEqualTo(whole);
    assertThat(translate(provider, upstream, 7)).isEqualTo(whole);
  }

  private static String translate(String provider, byte[] upstream, int piece) {
    StreamParser parser =
        switch (provider) {
          case "anthropic" -> new AnthropicStreamParser(ERRORS);
          case "gemini" -> new GeminiStreamParser(ERRORS);
          case "openai" -> new OpenAiStreamParser(ERRORS);
          default -> throw new IllegalArgumentException(provider);
        };
    ResponsesStreamEncoder encoder =
        new ResponsesStreamEncoder(
            ResponsesDialectFixturesTest.META, ResponsesDialectFixturesTest.numbered(), r -> {});
    StringBuilder out = new StringBuilder();
    Consumer<Buffer> toClient = bytes -> out.append(bytes.toString());
    Consumer<StreamChunk> onChunk = chunk -> encoder.encode(chunk, toClient);
    for (int at = 0; at < upstream.length; at += piece) {
      parser.feed(
          Buffer.buffer().appendBytes(upstream, at, Math.min(piece, upstream.length - at)),
          onChunk);
    }
    assertThat(parser.end(onChunk)).as("what the stream missed").isNull();
    encoder.finish(toClient);
    return out.toString();
  }

  /** The events with their data as canonical JSON, so fixtures may be pretty-printed. */
  private static List<String> normalised(String stream) {
    return Stream.of(stream.split("\n\n"))
        .map(
            event -> {
              String name =
                  event.lines().filter(l -> l.startsWith("event: ")).findFirst().orElse("");
              String data =
                  event
                      .lines()
                      .filter(l -> l.startsWith("data: "))
                      .map(l -> l.substring(6))
                      .reduce("", String::concat);
              try {
                return name + "\n" + Json.MAPPER.readTree(data);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }
}
