package dev.conduit.api.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.config.ProviderConfig;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Usage;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderRuntime;
import dev.conduit.route.Deployment;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pass-through's reading of an upstream Responses stream ({@code
 * clients/responses-passthrough/stream.sse}), fed whole, byte by byte and in 7-byte pieces: the
 * caller gets the upstream's bytes unchanged, and the usage comes from {@code response.completed}.
 */
class ResponsesPassthroughStreamTest {
  private static final byte[] STREAM = read();

  @Test
  void theStreamIsForwardedUnchangedAndItsUsageReadInAnyPieces() {
    for (int piece : List.of(STREAM.length, 1, 7)) {
      StreamTranslator translator = translator();
      Buffer forwarded = feed(translator, STREAM, piece);

      assertThat(forwarded.getBytes()).as("forwarded in %d-byte pieces", piece).isEqualTo(STREAM);
      assertThat(translator.onEnd(forwarded::appendBuffer)).isNull();
      assertThat(translator.usage()).isEqualTo(new Usage(21, 40, 8, 0, 30));
      assertThat(translator.upstreamError()).isNull();
    }
  }

  @Test
  void aStreamWithoutItsTerminalEventIsReportedIncomplete() {
    String text = new String(STREAM, java.nio.charset.StandardCharsets.UTF_8);
    byte[] cut =
        text.substring(0, text.indexOf("event: response.completed"))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StreamTranslator translator = translator();
    Buffer forwarded = feed(translator, cut, 7);

    GatewayError error = translator.onEnd(forwarded::appendBuffer);

    assertThat(error).isNotNull();
    assertThat(error.message()).contains("response.completed");
    assertThat(translator.usage().outputTokens()).isPositive(); // counted from the deltas
  }

  @Test
  void anErrorEventIsForwardedAndReported() {
    byte[] failing =
        ("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"
                + "\"response\":{\"id\":\"resp_up2\"}}\n\n"
                + "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\","
                + "\"message\":\"boom\",\"param\":null,\"sequence_number\":1}\n\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StreamTranslator translator = translator();
    Buffer forwarded = feed(translator, failing, 5);

    assertThat(forwarded.getBytes()).isEqualTo(failing);
    assertThat(translator.onEnd(forwarded::appendBuffer)).isNull();
    assertThat(translator.upstreamError().message()).isEqualTo("boom");
  }

  private static Buffer feed(StreamTranslator translator, byte[] bytes, int piece) {
    Buffer forwarded = Buffer.buffer();
    for (int at = 0; at < bytes.length; at += piece) {
      translator.onBytes(
          Buffer.buffer().appendBytes(bytes, at, Math.min(piece, bytes.length - at)),
          forwarded::appendBuffer);
    }
    return forwarded;
  }

  private static StreamTranslator translator() {
    ProviderConfig config =
        new ProviderConfig(
            "openai",
            "openai",
            "http://127.0.0.1:1/v1",
            "sk-test",
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of());
    Provider provider =
        ProviderRegistry.buildAll(List.of(config), name -> new ProviderRuntime(true, null, null))
            .get("openai");
    byte[] body = "{\"model\":\"gpt\",\"input\":\"Bonjour\",\"stream\":true}".getBytes();
    ResponsesRequest request = ResponsesRequest.parse(body);
    ResponsesTurn turn =
        new ResponsesTurn(request, null, null, null, ResponsesDialectFixturesTest.META);
    InboundCall call =
        new InboundCall(
            WireProtocol.OPENAI,
            Endpoint.RESPONSES,
            body,
            "gpt",
            true,
            true,
            null,
            (model, usage) -> Buffer.buffer(body),
            new ResponsesDialect(turn, ItemIds.RANDOM));
    return new ResponsesPassthrough(call, Deployment.of(provider, "gpt-4o", null))
        .streamTranslator();
  }

  private static byte[] read() {
    try {
      return Files.readAllBytes(
          Path.of("src/test/resources/clients/responses-passthrough/stream.sse"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
