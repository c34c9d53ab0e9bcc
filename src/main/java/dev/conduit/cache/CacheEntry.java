package dev.conduit.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One stored answer: the complete, successful, non-streamed body in the caller's dialect (a
 * streamed answer is stored as the body it adds up to), and what is needed to serve and account for
 * it again. Immutable.
 *
 * @param key the cache key's hash it was stored under (checked on read: an entry read under another
 *     key is corrupt)
 * @param model the alias the caller named
 * @param keyId the virtual key that stored it
 * @param endpoint what kind of call it answers
 * @param storedAtMillis when it was stored (epoch ms), for {@code Age} and {@code max-age}
 * @param expiresAtMillis when it stops being served
 * @param usage the tokens the original call used
 * @param costNanos what the original call cost (saved by every hit); null when unpriced
 * @param body the answer's body, UTF-8 (bytes, not a String: written to callers as they are, and
 *     half the heap of a String for text outside Latin-1). Not to be modified.
 */
public record CacheEntry(
    String key,
    String model,
    String keyId,
    Endpoint endpoint,
    long storedAtMillis,
    long expiresAtMillis,
    Usage usage,
    Long costNanos,
    byte[] body) {

  /** The JSON form's version: written by gateways before the binary form, still read. */
  private static final int JSON_VERSION = 1;

  /** The first byte of the binary form (a JSON entry starts with '{'). */
  private static final byte BINARY_VERSION = 2;

  /** Bytes this entry takes, roughly: its body and fields, as the memory tier counts them. */
  public int weight() {
    return body.length + 256 + model.length() * 2;
  }

  /** Seconds since it was stored, as the {@code Age} header says it. */
  public long ageSeconds(long nowMillis) {
    return Math.max(0, (nowMillis - storedAtMillis) / 1000);
  }

  public boolean expired(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  /**
   * Its form in Redis: a version byte, then the fields in a fixed order (strings as a length and
   * their UTF-8 bytes, -1 for none; numbers as 8 bytes), then the body's bytes as they are. Binary,
   * not JSON: written and read without escaping or parsing the body, which is most of the entry.
   */
  public byte[] serialize() {
    byte[] keyBytes = utf8(key);
    byte[] modelBytes = utf8(model);
    byte[] keyIdBytes = keyId == null ? null : utf8(keyId);
    byte[] endpointBytes = utf8(endpoint.name());
    int longs = 2 + 5; // stored and expiry times; the five usage counts
    int size =
        1
            + sized(keyBytes)
            + sized(modelBytes)
            + sized(keyIdBytes)
            + sized(endpointBytes)
            + 8 * longs
            + 1 // whether it has a cost
            + 8 // the cost
            + sized(body);
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(BINARY_VERSION);
    putBytes(out, keyBytes);
    putBytes(out, modelBytes);
    putBytes(out, keyIdBytes);
    putBytes(out, endpointBytes);
    out.putLong(storedAtMillis).putLong(expiresAtMillis);
    out.putLong(usage.inputTokens())
        .putLong(usage.outputTokens())
        .putLong(usage.cachedInputTokens())
        .putLong(usage.cacheWriteTokens())
        .putLong(usage.reasoningTokens());
    out.put((byte) (costNanos == null ? 0 : 1)).putLong(costNanos == null ? 0 : costNanos);
    putBytes(out, body);
    return out.array();
  }

  /**
   * Reads an entry from Redis: the binary form, or the JSON form older gateways wrote.
   *
   * @throws CorruptEntry when it is not one (another version, a field missing or cut short)
   */
  public static CacheEntry deserialize(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == '{') {
      return fromJson(bytes);
    }
    if (bytes.length == 0 || bytes[0] != BINARY_VERSION) {
      throw new CorruptEntry("unknown entry version");
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
      String key = string(in, "key");
      String model = string(in, "model");
      byte[] keyId = bytes(in);
      Endpoint endpoint = Endpoint.valueOf(string(in, "endpoint"));
      long storedAt = in.getLong();
      long expiresAt = in.getLong();
      Usage usage = new Usage(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
      boolean priced = in.get() == 1;
      long cost = in.getLong();
      byte[] body = bytes(in);
      if (body == null || in.hasRemaining()) {
        throw new CorruptEntry("no body, or bytes after it");
      }
      return new CacheEntry(
          key,
          model,
          keyId == null ? null : new String(keyId, StandardCharsets.UTF_8),
          endpoint,
          storedAt,
          expiresAt,
          usage,
          priced ? cost : null,
          body);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new CorruptEntry("cut short or malformed: " + e);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static int sized(byte[] bytes) {
    return 4 + (bytes == null ? 0 : bytes.length);
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    if (bytes == null) {
      out.putInt(-1);
    } else {
      out.putInt(bytes.length).put(bytes);
    }
  }

  /** A length-prefixed byte string; null for -1. */
  private static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > in.remaining()) {
      throw new CorruptEntry("a length past the entry's end");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  private static String string(ByteBuffer in, String field) {
    byte[] bytes = bytes(in);
    if (bytes == null) {
      throw new CorruptEntry("no " + field);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The JSON form (version 1), as gateways before the binary form stored entries. */
  private static CacheEntry fromJson(byte[] bytes) {
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || node.path("v").asInt() != JSON_VERSION) {
        throw new CorruptEntry("unknown entry version");
      }
      JsonNode usage = node.path("usage");
      return new CacheEntry(
          text(node, "key"),
          text(node, "model"),
          node.path("keyId").isTextual() ? node.get("keyId").textValue() : null,
          Endpoint.valueOf(text(node, "endpoint")),
          number(node, "storedAt"),
          number(node, "expiresAt"),
          new Usage(
              number(usage, "input"),
              number(usage, "output"),
              number(usage, "cachedInput"),
              number(usage, "cacheWrite")),
          node.path("costNanos").isIntegralNumber() ? node.get("costNanos").longValue() : null,
          text(node, "body").getBytes(StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptEntry(e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new CorruptEntry("no " + field);
    }
    return value.textValue();
  }

  private static long number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isIntegralNumber()) {
      throw new CorruptEntry("no " + field);
    }
    return value.longValue();
  }

  /** Bytes in Redis that are not a readable entry. */
  public static final class CorruptEntry extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptEntry(String message) {
      super(message, null, false, false);
    }
  }
}
