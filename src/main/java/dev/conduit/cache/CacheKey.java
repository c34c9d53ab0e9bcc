package dev.conduit.cache;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The cache key of a request: SHA-256 of the canonical JSON of everything that decides the answer.
 * Canonical means object keys sorted and numbers written in one form ({@code 1}, {@code 1.0} and
 * {@code 1e0} are the same), so the order and formatting a client happens to use do not matter. The
 * material is the endpoint, the alias the caller named, the scope (who may share the answer), the
 * namespace (Redis key prefix, so gateways sharing one Redis do not meet) and the request body
 * without the fields that do not change the answer. Pure: no I/O; safe from any thread.
 */
public final class CacheKey {
  /** Body fields that never change the answer: how it is delivered, and who asked. */
  static final Set<String> IGNORED_FIELDS = Set.of("stream", "stream_options", "user", "model");

  private static final ObjectReader READER =
      Json.MAPPER
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // Refused when the tree is built (a check of each put's result), not by the parser's
          // duplicate detector, which keeps a set of every object's field names.
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
    JsonNode root;
    try {
      root = READER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the body is not JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the body is not a JSON object");
    }
    if (endpoint.isChat() && !singleAnswer(root)) {
      return null;
    }
    StringBuilder canonical = new StringBuilder(body.length + 128);
    canonical.append("{\"alias\":");
    quote(alias, canonical);
    canonical.append(",\"body\":");
    writeObject(root, canonical, true);
    canonical.append(",\"endpoint\":");
    quote(endpoint.name(), canonical);
    canonical.append(",\"namespace\":");
    quote(namespace, canonical);
    canonical.append(",\"scope\":");
    quote(scope, canonical);
    canonical.append('}');
    return sha256(canonical.toString());
  }

  private static boolean singleAnswer(JsonNode root) {
    JsonNode n = root.path("n");
    return (n.isMissingNode() || n.isNull() || n.asInt(1) == 1)
        && !root.path("logprobs").asBoolean(false)
        && !root.hasNonNull("top_logprobs");
  }

  /** The canonical JSON text of {@code node}: keys sorted, numbers in one form. */
  static String canonical(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      writeObject(node, out, false);
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      BigDecimal number = node.decimalValue().stripTrailingZeros();
      out.append(number.signum() == 0 ? "0" : number.toString());
    } else if (node.isTextual()) {
      quote(node.textValue(), out);
    } else {
      out.append(node.asText()); // true, false, null (toString() would build a serializer)
    }
  }

  private static void writeObject(JsonNode node, StringBuilder out, boolean topLevel) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!topLevel || !IGNORED_FIELDS.contains(name)) {
        names.add(name);
      }
    }
    Collections.sort(names);
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      quote(names.get(i), out);
      out.append(':');
      write(node.get(names.get(i)), out);
    }
    out.append('}');
  }

  /**
   * Appends {@code text} as a JSON string. Jackson's encoder, not {@code TextNode.toString()}: that
   * one builds a whole serializer per call (close to a tenth of a cache hit's CPU time).
   */
  private static void quote(String text, StringBuilder out) {
    out.append('"');
    if (needsNoEscape(text)) {
      out.append(text);
    } else {
      JsonStringEncoder.getInstance().quoteAsString(text, out);
    }
    out.append('"');
  }

  /** Printable ASCII without a quote or a backslash: the encoder would copy it as it is. */
  private static boolean needsNoEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  static String sha256(String text) {
    MessageDigest digest = SHA_256.get();
    return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
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
