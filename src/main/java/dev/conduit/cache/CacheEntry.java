package dev.conduit.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  private static final int VERSION = 1;

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
   * Its form in Redis: a JSON object, written field by field (no tree), the body as a JSON string
   * straight from its UTF-8 bytes.
   */
  public byte[] serialize() {
    ByteArrayBuilder out = new ByteArrayBuilder(body.length + 256);
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("v", VERSION);
      json.writeStringField("key", key);
      json.writeStringField("model", model);
      json.writeStringField("keyId", keyId);
      json.writeStringField("endpoint", endpoint.name());
      json.writeNumberField("storedAt", storedAtMillis);
      json.writeNumberField("expiresAt", expiresAtMillis);
      json.writeObjectFieldStart("usage");
      json.writeNumberField("input", usage.inputTokens());
      json.writeNumberField("output", usage.outputTokens());
      json.writeNumberField("cachedInput", usage.cachedInputTokens());
      json.writeNumberField("cacheWrite", usage.cacheWriteTokens());
      json.writeEndObject();
      if (costNanos != null) {
        json.writeNumberField("costNanos", costNanos);
      }
      json.writeFieldName("body");
      json.writeUTF8String(body, 0, body.length);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Reads an entry from Redis.
   *
   * @throws CorruptEntry when it is not one (another version, a field missing, not JSON)
   */
  public static CacheEntry deserialize(byte[] bytes) {
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || node.path("v").asInt() != VERSION) {
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
