package dev.conduit.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Encodes AWS event-stream messages (the framing of Bedrock's ConverseStream), for mock upstreams
 * and fixtures: prelude with its CRC32, typed headers, payload, message CRC32. Header values are
 * written by their Java type: String (type 7), byte[] (6), Boolean (0/1), Byte (2), Short (3),
 * Integer (4), Long (5), java.time.Instant (8, timestamp), java.util.UUID (9).
 */
public final class EventStreamFrames {
  private EventStreamFrames() {}

  /** A Bedrock event: {@code :event-type}, JSON content type, {@code :message-type: event}. */
  public static byte[] event(String eventType, String json) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(":event-type", eventType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return message(headers, json.getBytes(StandardCharsets.UTF_8));
  }

  /** A modelled exception, as Bedrock sends one inside a 200 stream. */
  public static byte[] exception(String exceptionType, String json) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(":exception-type", exceptionType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return message(headers, json.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] message(Map<String, Object> headers, byte[] payload) {
    byte[] headerBytes = headers(headers);
    int total = 12 + headerBytes.length + payload.length + 4;
    ByteBuffer frame = ByteBuffer.allocate(total);
    frame.putInt(total).putInt(headerBytes.length);
    frame.putInt((int) crc(frame.array(), 0, 8));
    frame.put(headerBytes).put(payload);
    frame.putInt((int) crc(frame.array(), 0, total - 4));
    return frame.array();
  }

  /**
   * A stream described in a fixture ({@code upstream-stream.eventstream.json}): {@code {"frames":
   * [...]}}, each frame one of {@code {"event": type, "payload": json}}, {@code {"exception": type,
   * "payload": json}} or {@code {"error": code, "message": text}} (an unmodelled error), optionally
   * with {@code "corruptCrc": true} (one payload byte flipped after the CRCs were computed) or
   * {@code "cutAfter": n} (only its first n bytes, and nothing after it).
   */
  public static byte[] fromFixture(com.fasterxml.jackson.databind.JsonNode fixture) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (com.fasterxml.jackson.databind.JsonNode frame : fixture.path("frames")) {
      byte[] bytes;
      String payload =
          frame.path("payload").isTextual()
              ? frame.path("payload").asText()
              : frame.path("payload").toString();
      if (frame.has("event")) {
        bytes = event(frame.path("event").asText(), payload);
      } else if (frame.has("exception")) {
        bytes = exception(frame.path("exception").asText(), payload);
      } else if (frame.has("error")) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(":error-code", frame.path("error").asText());
        headers.put(":error-message", frame.path("message").asText());
        headers.put(":message-type", "error");
        bytes = message(headers, new byte[0]);
      } else {
        throw new IllegalArgumentException("unknown fixture frame " + frame);
      }
      if (frame.path("corruptCrc").asBoolean(false)) {
        bytes[bytes.length - 6] ^= 0x01;
      }
      if (frame.has("cutAfter")) {
        out.write(bytes, 0, frame.path("cutAfter").asInt());
        break;
      }
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** Several frames back to back. */
  public static byte[] concat(byte[]... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] frame : frames) {
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  private static byte[] headers(Map<String, Object> headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, Object> header : headers.entrySet()) {
      byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
      out.write(name.length);
      out.writeBytes(name);
      Object value = header.getValue();
      ByteBuffer buffer;
      if (value instanceof Boolean bool) {
        out.write(bool ? 0 : 1);
        continue;
      } else if (value instanceof Byte b) {
        buffer = ByteBuffer.allocate(2).put((byte) 2).put(b);
      } else if (value instanceof Short s) {
        buffer = ByteBuffer.allocate(3).put((byte) 3).putShort(s);
      } else if (value instanceof Integer i) {
        buffer = ByteBuffer.allocate(5).put((byte) 4).putInt(i);
      } else if (value instanceof Long l) {
        buffer = ByteBuffer.allocate(9).put((byte) 5).putLong(l);
      } else if (value instanceof byte[] bytes) {
        buffer =
            ByteBuffer.allocate(3 + bytes.length)
                .put((byte) 6)
                .putShort((short) bytes.length)
                .put(bytes);
      } else if (value instanceof String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        buffer =
            ByteBuffer.allocate(3 + bytes.length)
                .put((byte) 7)
                .putShort((short) bytes.length)
                .put(bytes);
      } else if (value instanceof java.time.Instant instant) {
        buffer = ByteBuffer.allocate(9).put((byte) 8).putLong(instant.toEpochMilli());
      } else if (value instanceof java.util.UUID uuid) {
        buffer =
            ByteBuffer.allocate(17)
                .put((byte) 9)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
      } else {
        throw new IllegalArgumentException("no header type for " + value);
      }
      out.writeBytes(buffer.array());
    }
    return out.toByteArray();
  }

  private static long crc(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
