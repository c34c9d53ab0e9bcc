package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What makes two requests the same cache key, and what makes them differ. */
class CacheKeyTest {
  private static String key(String body) {
    return key(Endpoint.CHAT_COMPLETIONS, "alias", "key:k1", body);
  }

  private static String key(Endpoint endpoint, String alias, String scope, String body) {
    return CacheKey.of(endpoint, alias, scope, "conduit:", body.getBytes(StandardCharsets.UTF_8));
  }

  private static final String BODY =
      "{\"model\":\"alias\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
          + "\"temperature\":0.5,\"max_tokens\":10,\"stop\":[\"x\"]}";

  @Test
  void keyOrderNumberFormatAndDeliveryFieldsDoNotMatter() {
    String same =
        "{ \"stop\" : [\"x\"], \"max_tokens\": 1.0e1, \"temperature\": 0.50, \"stream\": true,"
            + " \"stream_options\": {\"include_usage\": true}, \"user\": \"u-1\","
            + " \"messages\": [{\"content\":\"hi\",\"role\":\"user\"}], \"model\": \"other\" }";

    assertThat(key(same)).isEqualTo(key(BODY)).hasSize(64);
  }

  @Test
  void stringsAreWrittenAsJsonSoEscapesCannotMakeTwoBodiesMeet() throws Exception {
    String text = "say \"hi\"\n\tto \u00e9t\u00e9 \\ \u0001 \ud83d\ude00";
    JsonNode node = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(Map.of(text, text)));

    assertThat(CacheKey.canonical(node))
        .isEqualTo(
            "{"
                + Json.MAPPER.writeValueAsString(text)
                + ":"
                + Json.MAPPER.writeValueAsString(text)
                + "}");
    assertThat(key(BODY.replace("\"hi\"", "\"a\\\",\\\"b\"")))
        .isNotEqualTo(key(BODY.replace("\"hi\"", "\"a\\\"\\\"b\"")));
  }

  @Test
  void everyAnswerDecidingPartChangesTheKey() {
    assertThat(key(BODY.replace("0.5", "0.6"))).isNotEqualTo(key(BODY));
    assertThat(key(BODY.replace("\"hi\"", "\"hi!\""))).isNotEqualTo(key(BODY));
    assertThat(key(BODY.replace("[\"x\"]", "[\"y\"]"))).isNotEqualTo(key(BODY));
    assertThat(key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"seed\":1")))
        .isNotEqualTo(key(BODY));
    assertThat(key(BODY.replace("\"content\":\"hi\"}]", "\"content\":\"hi\"}],\"tools\":[]")))
        .isNotEqualTo(key(BODY));
    assertThat(key(Endpoint.CHAT_COMPLETIONS, "other", "key:k1", BODY)).isNotEqualTo(key(BODY));
    assertThat(key(Endpoint.COMPLETIONS, "alias", "key:k1", BODY)).isNotEqualTo(key(BODY));
  }

  @Test
  void scopesNeverShareKeys() {
    assertThat(key(Endpoint.CHAT_COMPLETIONS, "alias", "key:k2", BODY)).isNotEqualTo(key(BODY));
    assertThat(key(Endpoint.CHAT_COMPLETIONS, "alias", "group:g1", BODY)).isNotEqualTo(key(BODY));
    assertThat(key(Endpoint.CHAT_COMPLETIONS, "alias", "global", BODY)).isNotEqualTo(key(BODY));
  }

  @Test
  void chatRequestsForSeveralChoicesOrLogprobsAreNotCacheable() {
    assertThat(key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"n\":2"))).isNull();
    assertThat(key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"logprobs\":true")))
        .isNull();
    assertThat(key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"n\":1"))).isNotNull();
    // Read as JSON values are read elsewhere: a number in a string, a number as a boolean.
    assertThat(key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"n\":\"2\""))).isNull();
    assertThat(key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"logprobs\":1"))).isNull();
    assertThat(key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"top_logprobs\":0")))
        .isNull();
    assertThat(key(Endpoint.COMPLETIONS, "alias", "key:k1", "{\"prompt\":\"p\",\"n\":2}"))
        .isNotNull();
  }

  /**
   * Keys written by the tree-based canonical form of earlier releases: a key must not change with
   * how it is computed, or every answer a shared Redis holds would turn into a miss on upgrade.
   */
  @Test
  void keysAreTheSameAsEarlierReleasesWrote() {
    assertThat(
            key(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi \\u00e9\\n"
                    + "\\\"q\\\"\"}],\"temperature\":0.50,\"max_tokens\":1e1,\"stream\":true,\"n\":1}"))
        .isEqualTo("eef35ec518f8cb65b2a1b79ccf0d01b47036ed1c90c05dc9a2f69d27e0c1ed93");
    assertThat(
            key(
                "{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":"
                    + "{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"},\"a\":"
                    + "{\"type\":\"number\",\"minimum\":-0.0}}}}}],\"messages\":[],"
                    + "\"seed\":12345678901234567890,\"logit_bias\":{\"50256\":-100,\"1\":2.5e-3},"
                    + "\"stop\":null,\"top_logprobs\":null,\"logprobs\":false}"))
        .isEqualTo("7dc2f284ef473d4f392ae11bb2d38ac67839f122f7a887638afb7f54ae277f8b");
  }

  /**
   * The key written while parsing is the SHA-256 of the same text as the tree-based form: random
   * bodies (members in any order, nested, escapes, text outside ASCII, numbers in several forms).
   */
  @Test
  void keysWrittenWhileParsingAreThoseOfTheTreeBasedForm() throws Exception {
    Random random = new Random(20261204);
    for (int i = 0; i < 2_000; i++) {
      String body = randomObject(random, 0);
      ObjectNode tree =
          (ObjectNode)
              Json.MAPPER
                  .reader()
                  .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                  .readTree(body);
      tree.remove(CacheKey.IGNORED_FIELDS);
      String material =
          "{\"alias\":\"alias\",\"body\":"
              + treeForm(tree)
              + ",\"endpoint\":\"EMBEDDINGS\",\"namespace\":\"conduit:\",\"scope\":\"key:k1\"}";

      assertThat(key(Endpoint.EMBEDDINGS, "alias", "key:k1", body))
          .as(body)
          .isEqualTo(CacheKey.sha256(material));
    }
  }

  /** The canonical text as earlier releases wrote it, from a tree: the oracle of the test above. */
  private static String treeForm(JsonNode node) throws Exception {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      StringBuilder out = new StringBuilder("{");
      for (String name : names) {
        out.append(out.length() > 1 ? "," : "").append(Json.MAPPER.writeValueAsString(name));
        out.append(':').append(treeForm(node.get(name)));
      }
      return out.append('}').toString();
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : node) {
        items.add(treeForm(item));
      }
      return "[" + String.join(",", items) + "]";
    }
    if (node.isNumber()) {
      BigDecimal number = node.decimalValue().stripTrailingZeros();
      return number.signum() == 0 ? "0" : number.toString();
    }
    return Json.MAPPER.writeValueAsString(node);
  }

  private static final String[] NAMES = {
    "model", "b", "a", "stream", "z\u00e9", "A", "ab", "a\\\"b"
  };

  private static final String[] TEXTS = {
    "",
    "hi",
    "tab\\there",
    "\\\"q\\\"",
    "\u00e9t\u00e9",
    "\\u00e9",
    "\ud83d\ude00",
    "\\n\\u0001",
    "x y"
  };

  private static final String[] NUMBERS = {
    "0", "-0.0", "1", "1.0", "1e1", "10", "2.50", "-3E-2", "12345678901234567890"
  };

  private static String randomObject(Random random, int depth) {
    List<String> names = new ArrayList<>(List.of(NAMES));
    Collections.shuffle(names, random);
    StringBuilder out = new StringBuilder("{");
    int count = random.nextInt(names.size() + 1);
    for (int i = 0; i < count; i++) {
      out.append(i > 0 ? "," : "").append('"').append(names.get(i)).append("\":");
      out.append(randomValue(random, depth + 1));
    }
    return out.append('}').toString();
  }

  private static String randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 4 : 6);
    return switch (kind) {
      case 0 -> '"' + TEXTS[random.nextInt(TEXTS.length)] + '"';
      case 1 -> NUMBERS[random.nextInt(NUMBERS.length)];
      case 2 -> List.of("true", "false", "null").get(random.nextInt(3));
      case 3 -> "\"" + TEXTS[random.nextInt(TEXTS.length)] + random.nextInt(100) + "\"";
      case 4 -> randomObject(random, depth);
      default -> {
        StringBuilder array = new StringBuilder("[");
        int items = random.nextInt(4);
        for (int i = 0; i < items; i++) {
          array.append(i > 0 ? "," : "").append(randomValue(random, depth + 1));
        }
        yield array.append(']').toString();
      }
    };
  }

  @Test
  void aBodyWithAFieldTwiceHasNoKey() {
    assertThatThrownBy(
            () -> key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"max_tokens\":11")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> key(BODY.replace("\"content\":\"hi\"", "\"content\":\"hi\",\"content\":\"ho\"")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(key(BODY.replace("\"max_tokens\":10", "\"max_tokens\":10,\"stream\":true")))
        .isNotNull();
    assertThatThrownBy(
            () -> key(BODY.replace("\"max_tokens\":10", "\"stream\":false,\"stream\":true")))
        .as("a field left out of the key, twice")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBodyThatIsNotAJsonObjectHasNoKey() {
    assertThatThrownBy(() -> key("[1,2]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> key("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
  }
}
