package dev.conduit.cache;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The cache key of a request: SHA-256 of the canonical JSON of everything that decides the answer.
 * Canonical means object keys sorted and numbers written in one form ({@code 1}, {@code 1.0} and
 * {@code 1e0} are the same), so the order and formatting a client happens to use do not matter. The
 * material is the endpoint, the alias the caller named, the scope (who may share the answer), the
 * namespace (Redis key prefix, so gateways sharing one Redis do not meet) and the request body
 * without the fields that do not change the answer. Pure: no I/O; safe from any thread.
 *
 * <p>The canonical bytes are written while the body is parsed ({@link CanonicalBytes}), not from a
 * tree of it, its text and that text's bytes: a third less allocation per key (docs/caching.md).
 */
public final class CacheKey {
  /** Body fields that never change the answer: how it is delivered, and who asked. */
  static final Set<String> IGNORED_FIELDS = Set.of("stream", "stream_options", "user", "model");

  private static final ObjectReader READER =
      Json.MAPPER
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // A field twice is refused by CanonicalBytes, and in the few values read as trees when
          // the tree is built: not by the parser's detector, which keeps a set of every object's
          // field names.
          .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private CacheKey() {}

  /**
   * @param body the caller's JSON body
   * @return the key's hex hash; null when the request is not cacheable: a chat request for several
   *     choices or for log probabilities, which the one-answer canonical form cannot replay as both
   *     JSON and stream
   * @throws IllegalArgumentException when the body is not a JSON object
   */
  public static String of(
      Endpoint endpoint, String alias, String scope, String namespace, byte[] body) {
    CanonicalBytes out = new CanonicalBytes(body.length + 128);
    out.ascii("{\"alias\":");
    out.quote(alias);
    out.ascii(",\"body\":");
    try (JsonParser parser = READER.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("the body is not a JSON object");
      }
      if (!writeBody(parser, out, endpoint.isChat())) {
        return null;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("the body is not JSON", e);
    }
    out.ascii(",\"endpoint\":");
    out.quote(endpoint.name());
    out.ascii(",\"namespace\":");
    out.quote(namespace);
    out.ascii(",\"scope\":");
    out.quote(scope);
    out.ascii("}");
    return HexFormat.of().formatHex(out.hash(SHA_256.get()));
  }

  /**
   * Writes the top-level object the parser is on, without {@link #IGNORED_FIELDS}. The fields that
   * decide whether a chat call is cacheable at all are read as trees, as they were before.
   *
   * @return false when the chat request asks for several choices or for log probabilities
   */
  private static boolean writeBody(JsonParser parser, CanonicalBytes out, boolean chat)
      throws IOException {
    boolean singleAnswer = true;
    CanonicalBytes.Members members = out.startObject();
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      JsonToken value = parser.nextToken();
      if (IGNORED_FIELDS.contains(name)) {
        parser.skipChildren();
        members.ignore(name);
      } else if (chat && ANSWER_COUNT_FIELDS.contains(name)) {
        JsonNode node = READER.readTree(parser);
        singleAnswer &= singleAnswer(name, node);
        members.add(name);
        writeTree(node, out);
      } else {
        members.add(name);
        writeValue(parser, value, out);
      }
    }
    members.end();
    return singleAnswer;
  }

  /** Top-level chat fields asking for more than one answer, or for one with log probabilities. */
  private static final Set<String> ANSWER_COUNT_FIELDS = Set.of("n", "logprobs", "top_logprobs");

  private static boolean singleAnswer(String field, JsonNode value) {
    return switch (field) {
      case "n" -> value.isNull() || value.asInt(1) == 1;
      case "logprobs" -> !value.asBoolean(false);
      default -> value.isNull();
    };
  }

  private static void writeValue(JsonParser parser, JsonToken token, CanonicalBytes out)
      throws IOException {
    switch (token) {
      case START_OBJECT -> {
        CanonicalBytes.Members members = out.startObject();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
          members.add(name);
          writeValue(parser, parser.nextToken(), out);
        }
        members.end();
      }
      case START_ARRAY -> {
        out.ascii("[");
        boolean first = true;
        for (JsonToken item = parser.nextToken();
            item != JsonToken.END_ARRAY;
            item = parser.nextToken()) {
          if (!first) {
            out.ascii(",");
          }
          first = false;
          writeValue(parser, item, out);
        }
        out.ascii("]");
      }
      case VALUE_STRING ->
          out.quote(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.ascii(number(parser.getDecimalValue()));
      case VALUE_TRUE -> out.ascii("true");
      case VALUE_FALSE -> out.ascii("false");
      case VALUE_NULL -> out.ascii("null");
      default -> throw new IllegalArgumentException("unexpected JSON token " + token);
    }
  }

  /** A number in one form: {@code 1}, {@code 1.0} and {@code 1e0} are all {@code 1}. */
  private static String number(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.signum() == 0 ? "0" : stripped.toString();
  }

  /** The canonical JSON text of {@code node}: keys sorted, numbers in one form. */
  static String canonical(JsonNode node) {
    CanonicalBytes out = new CanonicalBytes(64);
    writeTree(node, out);
    return out.toString();
  }

  /** Writes a value read as a tree, as {@link #writeValue} writes one from the parser. */
  private static void writeTree(JsonNode node, CanonicalBytes out) {
    if (node.isObject()) {
      CanonicalBytes.Members members = out.startObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        members.add(field.getKey());
        writeTree(field.getValue(), out);
      }
      members.end();
    } else if (node.isArray()) {
      out.ascii("[");
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.ascii(",");
        }
        writeTree(node.get(i), out);
      }
      out.ascii("]");
    } else if (node.isNumber()) {
      out.ascii(number(node.decimalValue()));
    } else if (node.isTextual()) {
      out.quote(node.textValue());
    } else {
      out.ascii(node.asText()); // true, false, null (toString() would build a serializer)
    }
  }

  static String sha256(String text) {
    return HexFormat.of().formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** One digest per thread: {@code getInstance} walks the security providers on every call. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
          });
}
