package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every admin endpoint that takes a body, with every field of a valid body mutated (left out, null,
 * the wrong type, huge, negative, out of range, Unicode controls), and the path and query inputs of
 * the others: no answer may be a 5xx, and every answer is JSON. Runs on PostgreSQL, which refuses
 * some text (NUL) that SQLite stores.
 *
 * <p>The endpoint list follows the {@code *AdminRoutes} classes; {@code @U} in a body is replaced
 * by a number unique to each request, so that creating calls are not all stopped by a 409.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiFuzzTest extends GatewayOnMock {
  private static final String HUGE = "x".repeat(100_000);

  /** Raw JSON values put in place of a field, with what they stand for. */
  private static final Map<String, String> VALUES =
      Map.ofEntries(
          Map.entry("null", "null"),
          Map.entry("true", "true"),
          Map.entry("zero", "0"),
          Map.entry("minus one", "-1"),
          Map.entry("fraction", "1.5"),
          Map.entry("beyond double", "1e400"),
          Map.entry("beyond double, negative", "-1e400"),
          Map.entry("below double", "1e-400"),
          Map.entry("huge exponent", "1e2147483647"),
          Map.entry("beyond long", "9223372036854775808"),
          Map.entry("max double", "1.7976931348623157e308"),
          Map.entry("empty string", "\"\""),
          Map.entry("blank string", "\"   \""),
          Map.entry("number as string", "\"12\""),
          Map.entry("huge string", "\"" + HUGE + "\""),
          Map.entry("NUL", "\"a\\u0000b\""),
          Map.entry("right-to-left override", "\"\\u202Eevil\""),
          Map.entry("bell and newline", "\"a\\u0007\\nb\""),
          Map.entry("lone surrogate", "\"\\ud800\""),
          Map.entry("empty array", "[]"),
          Map.entry("array of null", "[null]"),
          Map.entry("array of number", "[1]"),
          Map.entry("array of NUL", "[\"\\u0000\"]"),
          Map.entry("empty object", "{}"),
          Map.entry("nested object", "{\"a\":{\"b\":[1,\"\\u0000\"]}}"));

  /** Whole bodies that are not a usable object. */
  private static final List<String> BODIES =
      List.of("", "null", "[]", "42", "\"x\"", "{", "{}", "{\"unknown\":1}", "{\"a\":1}{}");

  private final AtomicInteger unique = new AtomicInteger();
  private String groupId;
  private String keyId;
  private String priceId;

  @Override
  protected String database() {
    return "postgresql";
  }

  @Override
  protected void started() throws Exception {
    groupId =
        ok(gateway.admin("POST", "/api/admin/key-groups", "{\"name\":\"fuzz\"}"))
            .get("id")
            .asText();
    keyId = gateway.createKey("{\"name\":\"fuzz\"}").get("id").asText();
    priceId =
        ok(gateway.admin(
                "POST",
                "/api/admin/model-costs",
                "{\"provider\":\"fuzz\",\"model\":\"base\",\"inputPerMillion\":1,"
                    + "\"outputPerMillion\":2}"))
            .get("id")
            .asText();
    ok(gateway.admin("POST", "/api/admin/providers", provider("fz-base")));
    ok(gateway.admin("POST", "/api/admin/model-mappings", mapping("fz-alias")));
  }

  private static String provider(String name) {
    return "{\"name\":\""
        + name
        + "\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:1/v1\",\"apiKey\":\"sk-fuzz\","
        + "\"apiKeys\":[\"sk-a\"],\"timeouts\":{\"connectMs\":1000,\"firstByteMs\":2000,"
        + "\"totalMs\":3000},\"apiVersion\":\"2024-01-01\",\"region\":\"us\","
        + "\"regionalEndpoints\":{\"eu\":\"https://eu.example.com\"},\"defaultMaxTokens\":100}";
  }

  private static String mapping(String alias) {
    return "{\"alias\":\""
        + alias
        + "\",\"strategy\":\"priority\",\"fallbacks\":[\"gpt-4o\"],\"retries\":1,"
        + "\"deployments\":[{\"provider\":\"fz-base\",\"model\":\"m\",\"region\":\"eu\","
        + "\"weight\":1,\"priority\":1,\"timeouts\":{\"connectMs\":1000,\"firstByteMs\":2000,"
        + "\"totalMs\":3000}}]}";
  }

  private static final String KEY_FIELDS =
      "\"allowedModels\":[\"gpt-4o\",\"fz-*\"],\"expiresAt\":\"2099-01-01T00:00:00Z\","
          + "\"metadata\":{\"team\":\"a\"},\"maxBudget\":10.5,\"budgetPeriod\":\"monthly\","
          + "\"rpm\":60,\"rpd\":1000,\"tpm\":100000,\"ipAllowlist\":[\"10.0.0.0/8\"]";

  private static final String PRICE_FIELDS =
      "\"inputPerMillion\":1,\"outputPerMillion\":2,\"cachedInputPerMillion\":0.5,"
          + "\"cacheWritePerMillion\":1.25,\"perRequest\":0.001,\"perImage\":0.04,"
          + "\"maxOutputTokens\":4096";

  /** The endpoints that take a body, each with a valid one. */
  private List<String[]> bodyEndpoints() {
    return List.of(
        new String[] {
          "POST",
          "/api/admin/virtual-keys",
          "{\"name\":\"fz key @U\"," + KEY_FIELDS + ",\"groupId\":\"" + groupId + "\"}"
        },
        new String[] {
          "PATCH",
          "/api/admin/virtual-keys/" + keyId,
          "{\"name\":\"fz key\",\"enabled\":true,"
              + KEY_FIELDS
              + ",\"groupId\":\""
              + groupId
              + "\"}"
        },
        new String[] {"POST", "/api/admin/key-groups", "{\"name\":\"fz group @U\",\"balance\":5}"},
        new String[] {"PUT", "/api/admin/key-groups/" + groupId, "{\"name\":\"fz group\"}"},
        new String[] {
          "POST",
          "/api/admin/key-groups/" + groupId + "/adjust-balance",
          "{\"amount\":-0.25,\"reason\":\"fuzz\"}"
        },
        new String[] {
          "POST",
          "/api/admin/ip-filters",
          "{\"cidr\":\"192.0.2.0/24\",\"action\":\"deny\",\"description\":\"fuzz\"}"
        },
        new String[] {
          "POST",
          "/api/admin/model-costs",
          "{\"provider\":\"fuzz\",\"model\":\"m-@U\"," + PRICE_FIELDS + "}"
        },
        new String[] {
          "PUT",
          "/api/admin/model-costs/" + priceId,
          "{\"provider\":\"fuzz\",\"model\":\"base\"," + PRICE_FIELDS + "}"
        },
        new String[] {
          "POST",
          "/api/admin/model-costs/import",
          "{\"data\":[{\"provider\":\"fuzz\",\"model\":\"i-@U\"," + PRICE_FIELDS + "}]}"
        },
        new String[] {"POST", "/api/admin/providers", provider("fz-@U")},
        new String[] {"PUT", "/api/admin/providers/fz-base", provider("fz-base")},
        new String[] {
          "POST",
          "/api/admin/providers/config",
          "{\"provider\":\"fz-base\",\"regionalEndpoints\":{\"eu\":\"https://eu.example.com\"}}"
        },
        new String[] {"POST", "/api/admin/model-mappings", mapping("fz-alias-@U")},
        new String[] {"PUT", "/api/admin/model-mappings/fz-alias", mapping("fz-alias")},
        new String[] {"POST", "/api/admin/cache/warm", "{\"models\":[\"gpt-4o\",\"fz-alias\"]}"});
  }

  @TestFactory
  Stream<DynamicTest> noBodyMutationOfAnyAdminEndpointAnswers5xx() {
    return bodyEndpoints().stream()
        .map(
            endpoint ->
                DynamicTest.dynamicTest(
                    endpoint[0] + " " + endpoint[1],
                    () -> {
                      List<String> failures = new ArrayList<>();
                      send(endpoint[0], endpoint[1], endpoint[2], "the valid body", failures);
                      for (String body : BODIES) {
                        send(endpoint[0], endpoint[1], body, "body " + body, failures);
                      }
                      JsonNode valid = TestGateway.json(endpoint[2]);
                      for (String path : paths(valid, "")) {
                        send(
                            endpoint[0],
                            endpoint[1],
                            without(valid, path),
                            path + " left out",
                            failures);
                        for (Map.Entry<String, String> value : VALUES.entrySet()) {
                          send(
                              endpoint[0],
                              endpoint[1],
                              with(valid, path, value.getValue()),
                              path + " = " + value.getKey(),
                              failures);
                        }
                      }
                      assertThat(failures).isEmpty();
                    }));
  }

  @Test
  void noPathOrQueryInputAnswers5xx() throws Exception {
    List<String> ids =
        List.of(
            "nope",
            "%00",
            "a%E2%80%AEb",
            "%FF%FE",
            "..%2F..%2Fetc",
            "x".repeat(3000),
            "health",
            "config",
            "%20");
    List<String> templates =
        List.of(
            "GET /api/admin/virtual-keys/{}",
            "PATCH /api/admin/virtual-keys/{}",
            "DELETE /api/admin/virtual-keys/{}",
            "GET /api/admin/key-groups/{}",
            "DELETE /api/admin/key-groups/{}",
            "GET /api/admin/key-groups/{}/transactions",
            "DELETE /api/admin/ip-filters/{}",
            "GET /api/admin/model-costs/{}",
            "DELETE /api/admin/model-costs/{}",
            "GET /api/admin/providers/{}",
            "DELETE /api/admin/providers/{}",
            "PATCH /api/admin/providers/{}/disable",
            "PATCH /api/admin/providers/{}/enable",
            "POST /api/admin/providers/{}/reset-circuit",
            "GET /api/admin/model-mappings/{}",
            "DELETE /api/admin/model-mappings/{}",
            "GET /api/admin/logs/{}");
    List<String> failures = new ArrayList<>();
    for (String template : templates) {
      String[] parts = template.split(" ");
      for (String id : ids) {
        String body = parts[0].equals("PATCH") ? "{\"name\":\"x\"}" : null;
        send(parts[0], parts[1].replace("{}", id), body, template + " id " + id, failures);
      }
    }
    List<String> queries =
        List.of(
            "limit=-1",
            "limit=0",
            "limit=1e400",
            "limit=99999999999999999999",
            "limit=abc",
            "cursor=%00",
            "cursor=bm90LWEtY3Vyc29y",
            "cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5fHg",
            "from=yesterday",
            "from=99999-01-01",
            "to=%00",
            "status=%FF",
            "includeArchive=maybe",
            "groupBy=%00",
            "provider=" + "x".repeat(3000),
            "model=a%E2%80%AEb");
    for (String path :
        List.of(
            "/api/admin/logs",
            "/api/admin/spend",
            "/api/admin/spend?groupBy=model",
            "/api/admin/key-groups/" + groupId + "/transactions",
            "/api/admin/model-costs",
            "/api/admin/model-costs/export")) {
      for (String query : queries) {
        String url = path + (path.contains("?") ? "&" : "?") + query;
        send("GET", url, null, "GET " + url, failures);
      }
    }
    assertThat(failures).isEmpty();
    // What was accepted must not make the operations endpoints large (a name is at most 128).
    assertThat(gateway.admin("GET", "/health/ready", null).body().length()).isLessThan(64_000);
  }

  private void send(String method, String path, String body, String what, List<String> failures)
      throws Exception {
    String sent =
        body == null ? null : body.replace("@U", Integer.toString(unique.incrementAndGet()));
    HttpResponse<String> response = gateway.admin(method, path, sent);
    if (response.statusCode() >= 500) {
      failures.add(
          method
              + " "
              + abbreviate(path)
              + " with "
              + what
              + ": "
              + response.statusCode()
              + " "
              + abbreviate(response.body()));
      return;
    }
    if (response.statusCode() >= 400) {
      JsonNode error = TestGateway.json(response.body()).path("error");
      if (!error.path("message").isTextual()) {
        failures.add(method + " " + abbreviate(path) + " with " + what + ": no error body");
      }
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** Every field and array element of {@code node}, as paths like {@code a.b[0]}. */
  private static List<String> paths(JsonNode node, String prefix) {
    List<String> paths = new ArrayList<>();
    if (node.isObject()) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        String path = prefix.isEmpty() ? name : prefix + "." + name;
        paths.add(path);
        paths.addAll(paths(node.get(name), path));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String path = prefix + "[" + i + "]";
        paths.add(path);
        paths.addAll(paths(node.get(i), path));
      }
    }
    return paths;
  }

  private static final String MARK = "__MUTANT__";

  /** {@code valid} with the value at {@code path} replaced by the raw JSON {@code value}. */
  private static String with(JsonNode valid, String path, String value) {
    JsonNode copy = valid.deepCopy();
    replace(copy, path, TextNode.valueOf(MARK));
    return copy.toString().replace("\"" + MARK + "\"", value);
  }

  private static String without(JsonNode valid, String path) {
    JsonNode copy = valid.deepCopy();
    replace(copy, path, null);
    return copy.toString();
  }

  /** Sets (or with null removes) the value at {@code path}. */
  private static void replace(JsonNode root, String path, JsonNode value) {
    int split = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    JsonNode parent = split <= 0 ? root : at(root, path.substring(0, split));
    if (path.endsWith("]")) {
      int index = Integer.parseInt(path.substring(split + 1, path.length() - 1));
      if (value == null) {
        ((ArrayNode) parent).remove(index);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    } else {
      String name = path.substring(split < 0 ? 0 : split + 1);
      if (value == null) {
        ((ObjectNode) parent).remove(name);
      } else {
        ((ObjectNode) parent).set(name, value);
      }
    }
  }

  private static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String step : path.replace("[", ".[").split("\\.")) {
      if (step.isEmpty()) {
        continue;
      }
      node =
          step.startsWith("[")
              ? node.get(Integer.parseInt(step.substring(1, step.length() - 1)))
              : node.get(step);
    }
    return node;
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    return TestGateway.json(response.body());
  }
}
