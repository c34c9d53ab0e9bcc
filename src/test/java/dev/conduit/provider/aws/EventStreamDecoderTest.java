package dev.conduit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.testing.EventStreamFrames;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The AWS event-stream decoder: the encoded vectors of AWS's SDK test suite, every header type, any
 * chunking of the bytes, and corrupt or cut frames.
 */
class EventStreamDecoderTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void decodesThePublishedVectors() {
    EventStreamMessage empty = single("000000100000000005c248eb7d98c8ff");
    assertThat(empty.headers()).isEmpty();
    assertThat(empty.payload()).isEmpty();

    EventStreamMessage payloadOnly =
        single("0000001d00000000fd528c5a7b27666f6f273a27626172277dc3653936");
    assertThat(payloadOnly.payloadText()).isEqualTo("{'foo':'bar'}");

    EventStreamMessage withHeader =
        single(
            "0000003d0000002007fd83960c636f6e74656e742d74797065"
                + "0700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1");
    assertThat(withHeader.header("content-type")).isEqualTo("application/json");
    assertThat(withHeader.payloadText()).isEqualTo("{'foo':'bar'}");

    EventStreamMessage int32 = single("0000001d0000000d83e3f0e707696e746567657204ffffffff8b8e12eb");
    assertThat(int32.headers()).containsEntry("integer", -1);
  }

  @Test
  void readsEveryHeaderType() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("true", true);
    headers.put("false", false);
    headers.put("byte", (byte) -2);
    headers.put("short", (short) 300);
    headers.put("int", 70_000);
    headers.put("long", 5_000_000_000L);
    headers.put("bytes", new byte[] {1, 2, 3});
    headers.put("string", "héllo");
    headers.put("time", Instant.ofEpochMilli(1_700_000_000_123L));
    headers.put("uuid", UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"));
    byte[] frame = EventStreamFrames.message(headers, "{}".getBytes(StandardCharsets.UTF_8));

    EventStreamMessage message = decodeAll(frame, frame.length).get(0);

    assertThat(message.headers())
        .containsEntry("true", true)
        .containsEntry("false", false)
        .containsEntry("byte", (byte) -2)
        .containsEntry("short", (short) 300)
        .containsEntry("int", 70_000)
        .containsEntry("long", 5_000_000_000L)
        .containsEntry("string", "héllo")
        .containsEntry("time", Instant.ofEpochMilli(1_700_000_000_123L))
        .containsEntry("uuid", UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"));
    assertThat((byte[]) message.headers().get("bytes")).containsExactly(1, 2, 3);
    assertThat(message.headers().keySet())
        .containsExactly(
            "true", "false", "byte", "short", "int", "long", "bytes", "string", "time", "uuid");
  }

  @ParameterizedTest(name = "in pieces of {0} bytes")
  @ValueSource(ints = {1, 2, 3, 7, 11, 13, 64, 1000})
  void anyChunkingGivesTheSameMessages(int pieceSize) {
    byte[] stream =
        EventStreamFrames.concat(
            EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"),
            EventStreamFrames.event(
                "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi ☃\"}}"),
            EventStreamFrames.message(Map.of(), new byte[0]),
            EventStreamFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}"));

    List<EventStreamMessage> whole = decodeAll(stream, stream.length);
    List<EventStreamMessage> pieces = decodeAll(stream, pieceSize);

    assertThat(whole).hasSize(4);
    assertThat(whole.get(1).header(":event-type")).isEqualTo("contentBlockDelta");
    assertThat(whole.get(1).payloadText()).contains("Hi ☃");
    assertThat(pieces).hasSameSizeAs(whole);
    for (int i = 0; i < whole.size(); i++) {
      assertThat(pieces.get(i).headers()).isEqualTo(whole.get(i).headers());
      assertThat(pieces.get(i).payload()).isEqualTo(whole.get(i).payload());
    }
  }

  @Test
  void aCorruptMessageCrcIsRejected() {
    byte[] frame = EventStreamFrames.event("contentBlockDelta", "{\"delta\":{\"text\":\"x\"}}");
    frame[frame.length - 6] ^= 0x01; // a payload byte

    assertThatThrownBy(() -> decodeAll(frame, 1))
        .isInstanceOf(InvalidUpstreamResponse.class)
        .hasMessageContaining("message CRC");
  }

  @Test
  void aCorruptPreludeIsRejectedBeforeTheRestArrives() {
    byte[] frame = EventStreamFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}");
    frame[2] ^= 0x40; // the total length: claims megabytes more
    EventStreamDecoder decoder = new EventStreamDecoder();

    assertThatThrownBy(() -> decoder.feed(Buffer.buffer().appendBytes(frame, 0, 12), m -> {}))
        .isInstanceOf(InvalidUpstreamResponse.class)
        .hasMessageContaining("prelude CRC");
  }

  @Test
  void impossibleLengthsAreRejected() {
    // total 8 is shorter than any frame; the prelude CRC itself is right
    byte[] prelude = HEX.parseHex("0000000800000000");
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(prelude);
    Buffer bytes = Buffer.buffer().appendBytes(prelude).appendUnsignedInt(crc.getValue());

    assertThatThrownBy(() -> new EventStreamDecoder().feed(bytes, m -> {}))
        .isInstanceOf(InvalidUpstreamResponse.class)
        .hasMessageContaining("impossible lengths");
  }

  @Test
  void aStreamCutMidFrameLeavesARemainder() {
    byte[] first = EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}");
    byte[] second = EventStreamFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}");
    EventStreamDecoder decoder = new EventStreamDecoder();
    List<EventStreamMessage> out = new ArrayList<>();

    decoder.feed(Buffer.buffer(first).appendBytes(second, 0, 20), out::add);

    assertThat(out).hasSize(1);
    assertThat(decoder.hasRemainder()).isTrue();
    decoder.feed(Buffer.buffer().appendBytes(second, 20, second.length - 20), out::add);
    assertThat(out).hasSize(2);
    assertThat(decoder.hasRemainder()).isFalse();
  }

  private static EventStreamMessage single(String hex) {
    byte[] bytes = HEX.parseHex(hex);
    List<EventStreamMessage> messages = decodeAll(bytes, bytes.length);
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  private static List<EventStreamMessage> decodeAll(byte[] stream, int pieceSize) {
    EventStreamDecoder decoder = new EventStreamDecoder();
    List<EventStreamMessage> out = new ArrayList<>();
    for (int start = 0; start < stream.length; start += pieceSize) {
      int end = Math.min(stream.length, start + pieceSize);
      decoder.feed(Buffer.buffer().appendBytes(stream, start, end - start), out::add);
    }
    assertThat(decoder.hasRemainder()).as("bytes left over").isFalse();
    return out;
  }
}
