package dev.conduit.provider.aws;

import dev.conduit.provider.InvalidUpstreamResponse;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Decodes the AWS event-stream binary framing (the {@code application/vnd.amazon.eventstream} body
 * of Bedrock's ConverseStream) incrementally, however the bytes are chunked. Each message:
 *
 * <pre>
 * total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4)
 * </pre>
 *
 * all big-endian; the prelude CRC covers the first 8 bytes, the message CRC everything before it.
 * Both are checked, and the prelude's before waiting for the rest, so a corrupt length cannot make
 * the decoder wait for gigabytes. Pure; one instance per stream; used from one thread.
 */
public final class EventStreamDecoder {
  static final int PRELUDE = 12;

  /** Prelude plus the trailing message CRC. */
  static final int OVERHEAD = 16;

  /** AWS's own limits: headers up to 128 KiB, payload up to 24 MiB. */
  static final int MAX_HEADERS = 128 * 1024;

  static final int MAX_PAYLOAD = 24 * 1024 * 1024;

  /** Bytes of the message in progress (and any after it); null when none. */
  private Buffer pending;

  /** The checked total length of the message at the start of {@link #pending}; -1 until read. */
  private int expected = -1;

  /**
   * Feeds the next bytes; emits each message they complete.
   *
   * @throws InvalidUpstreamResponse when a frame is corrupt (a CRC mismatch, impossible lengths, a
   *     malformed header); the stream cannot be read further
   */
  public void feed(Buffer bytes, Consumer<EventStreamMessage> out) {
    if (pending == null || pending.length() == 0) {
      pending = bytes.copy();
    } else {
      pending.appendBuffer(bytes);
    }
    int offset = 0;
    while (true) {
      int available = pending.length() - offset;
      if (expected < 0) {
        if (available < PRELUDE) {
          break;
        }
        expected = checkPrelude(offset);
      }
      if (available < expected) {
        break;
      }
      out.accept(decodeMessage(offset, expected));
      offset += expected;
      expected = -1;
    }
    if (offset > 0) {
      pending = offset == pending.length() ? null : pending.getBuffer(offset, pending.length());
    }
  }

  /** Whether bytes of an unfinished message are waiting (a stream cut mid-frame leaves some). */
  public boolean hasRemainder() {
    return pending != null && pending.length() > 0;
  }

  /** Checks the prelude at {@code offset}; returns the message's total length. */
  private int checkPrelude(int offset) {
    long total = pending.getUnsignedInt(offset);
    long headers = pending.getUnsignedInt(offset + 4);
    long preludeCrc = pending.getUnsignedInt(offset + 8);
    if (crc(offset, 8) != preludeCrc) {
      throw new InvalidUpstreamResponse("an event-stream frame failed its prelude CRC check");
    }
    if (headers > MAX_HEADERS
        || total < OVERHEAD + headers
        || total - OVERHEAD - headers > MAX_PAYLOAD) {
      throw new InvalidUpstreamResponse(
          "an event-stream frame has impossible lengths (total "
              + total
              + ", headers "
              + headers
              + ")");
    }
    return (int) total;
  }

  private EventStreamMessage decodeMessage(int offset, int total) {
    long messageCrc = pending.getUnsignedInt(offset + total - 4);
    if (crc(offset, total - 4) != messageCrc) {
      throw new InvalidUpstreamResponse("an event-stream frame failed its message CRC check");
    }
    int headersLength = (int) pending.getUnsignedInt(offset + 4);
    int headersStart = offset + PRELUDE;
    Map<String, Object> headers = readHeaders(headersStart, headersStart + headersLength);
    byte[] payload = pending.getBytes(headersStart + headersLength, offset + total - 4);
    return new EventStreamMessage(headers, payload);
  }

  private Map<String, Object> readHeaders(int start, int end) {
    Map<String, Object> headers = new LinkedHashMap<>();
    int position = start;
    try {
      while (position < end) {
        int nameLength = pending.getUnsignedByte(position++);
        String name =
            pending.getString(position, position + nameLength, StandardCharsets.UTF_8.name());
        position += nameLength;
        int type = pending.getUnsignedByte(position++);
        Object value;
        switch (type) {
          case 0 -> value = Boolean.TRUE;
          case 1 -> value = Boolean.FALSE;
          case 2 -> {
            value = pending.getByte(position);
            position += 1;
          }
          case 3 -> {
            value = pending.getShort(position);
            position += 2;
          }
          case 4 -> {
            value = pending.getInt(position);
            position += 4;
          }
          case 5 -> {
            value = pending.getLong(position);
            position += 8;
          }
          case 6, 7 -> {
            int length = pending.getUnsignedShort(position);
            position += 2;
            byte[] bytes = pending.getBytes(position, position + length);
            position += length;
            value = type == 7 ? new String(bytes, StandardCharsets.UTF_8) : bytes;
          }
          case 8 -> {
            value = Instant.ofEpochMilli(pending.getLong(position));
            position += 8;
          }
          case 9 -> {
            value = new UUID(pending.getLong(position), pending.getLong(position + 8));
            position += 16;
          }
          default ->
              throw new InvalidUpstreamResponse(
                  "an event-stream header has unknown value type " + type);
        }
        if (position > end) {
          throw new IndexOutOfBoundsException();
        }
        headers.put(name, value);
      }
    } catch (IndexOutOfBoundsException e) {
      throw new InvalidUpstreamResponse("an event-stream frame has malformed headers");
    }
    return Collections.unmodifiableMap(headers);
  }

  private long crc(int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(pending.getBytes(offset, offset + length));
    return crc.getValue();
  }
}
