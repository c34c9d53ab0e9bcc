package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Admin inputs checked by type, range and length: each bad input answers 400 with the field named
 * in {@code error.param}, and values at the edges of what is allowed still pass (docs/api.md,
 * "Input validation").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminInputValidationTest extends GatewayOnMock {
  private static final String NAME_129 = "n".repeat(129);
  private String groupId;

  @Override
  protected String database() {
    return "postgresql";
  }

  @Override
  protected void started() throws Exception {
    groupId =
        TestGateway.json(
                gateway.admin("POST", "/api/admin/key-groups", "{\"name\":\"validation\"}").body())
            .get("id")
            .asText();
  }

  Stream<Arguments> badInputs() {
    String groups = "/api/admin/key-groups";
    String adjust = "/api/admin/key-groups/{group}/adjust-balance";
    String keys = "/api/admin/virtual-keys";
    String providers = "/api/admin/providers";
    String mappings = "/api/admin/model-mappings";
    String prices = "/api/admin/model-costs";
    String provider = "\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:1/v1\"";
    return Stream.of(
        // money beyond range, negative where not allowed, not a number
        bad("POST", keys, "{\"name\":\"k\",\"maxBudget\":1e400}", "maxBudget"),
        bad("POST", keys, "{\"name\":\"k\",\"maxBudget\":1e2147483647}", "maxBudget"),
        bad("POST", keys, "{\"name\":\"k\",\"maxBudget\":-1}", "maxBudget"),
        bad("POST", keys, "{\"name\":\"k\",\"maxBudget\":\"10\"}", "maxBudget"),
        bad("POST", groups, "{\"name\":\"g\",\"balance\":1e400}", "balance"),
        bad("POST", groups, "{\"name\":\"g\",\"balance\":-5}", "balance"),
        bad("POST", adjust, "{\"amount\":1e400,\"reason\":\"r\"}", "amount"),
        bad("POST", adjust, "{\"amount\":-1e400,\"reason\":\"r\"}", "amount"),
        bad("POST", adjust, "{\"amount\":true,\"reason\":\"r\"}", "amount"),
        bad("POST", prices, price("\"inputPerMillion\":1e400"), "inputPerMillion"),
        bad("POST", prices, price("\"inputPerMillion\":-1"), "inputPerMillion"),
        bad(
            "POST",
            prices,
            price("\"inputPerMillion\":1,\"maxOutputTokens\":-1"),
            "maxOutputTokens"),
        // counts
        bad("POST", keys, "{\"name\":\"k\",\"rpm\":1e400}", "rpm"),
        bad("POST", keys, "{\"name\":\"k\",\"rpm\":1.5}", "rpm"),
        bad("POST", keys, "{\"name\":\"k\",\"tpm\":-1}", "tpm"),
        // provider name missing, null, not a string, too long, outside the character set
        bad("POST", providers, "{" + provider + "}", "name"),
        bad("POST", providers, "{\"name\":null," + provider + "}", "name"),
        bad("POST", providers, "{\"name\":123," + provider + "}", "name"),
        bad("POST", providers, "{\"name\":\"" + NAME_129 + "\"," + provider + "}", "name"),
        bad("POST", providers, "{\"name\":\"a\\u0000b\"," + provider + "}", "name"),
        bad("POST", providers, "{\"name\":\"p\",\"type\":7,\"baseUrl\":\"http://h\"}", "type"),
        bad(
            "POST",
            providers,
            "{\"name\":\"p\"," + provider + ",\"timeouts\":{\"connectMs\":\"1000\"}}",
            "timeouts.connectMs"),
        bad(
            "POST",
            providers,
            "{\"name\":\"p\"," + provider + ",\"timeouts\":{\"connectMs\":1e400}}",
            "timeouts.connectMs"),
        bad("POST", providers, "{\"name\":\"p\"," + provider + ",\"apiKey\":42}", "apiKey"),
        bad(
            "POST",
            providers,
            "{\"name\":\"p\"," + provider + ",\"defaultMaxTokens\":99999999999}",
            "defaultMaxTokens"),
        // names with control characters, bidi overrides, numbers, or too long
        bad("POST", keys, "{\"name\":\"a\\u0000b\"}", "name"),
        bad("POST", keys, "{\"name\":\"\\u202Eevil\"}", "name"),
        bad("POST", keys, "{\"name\":\"line\\nbreak\"}", "name"),
        bad("POST", keys, "{\"name\":123}", "name"),
        bad("POST", keys, "{\"name\":\"" + NAME_129 + "\"}", "name"),
        bad("POST", keys, "{\"name\":\"k\",\"allowedModels\":[\"a\\u202Eb\"]}", "allowedModels"),
        bad("POST", keys, "{\"name\":\"k\",\"metadata\":{\"a\":\"\\u0000\"}}", "metadata"),
        bad(
            "POST",
            keys,
            "{\"name\":\"k\",\"metadata\":{\"a\":\"" + "x".repeat(20_000) + "\"}}",
            "metadata"),
        bad("POST", groups, "{\"name\":\"" + NAME_129 + "\"}", "name"),
        bad("POST", groups, "{\"name\":\"\\u202Egroup\"}", "name"),
        bad("POST", adjust, "{\"amount\":1,\"reason\":\"a\\u0000b\"}", "reason"),
        bad("POST", adjust, "{\"amount\":1,\"reason\":\"" + "r".repeat(1025) + "\"}", "reason"),
        bad(
            "POST",
            "/api/admin/ip-filters",
            "{\"cidr\":\"10.0.0.0/8\",\"action\":\"deny\",\"description\":\"\\u0000\"}",
            "description"),
        bad("POST", mappings, mapping("\"a\\u202Eb\"", "\"m\""), "alias"),
        bad("POST", mappings, mapping("\"" + NAME_129 + "\"", "\"m\""), "alias"),
        bad("POST", mappings, mapping("5", "\"m\""), "alias"),
        bad("POST", mappings, mapping("\"ok\"", "\"m\\u0000\""), "deployments[0].model"),
        bad("POST", mappings, mapping("\"ok\"", "17"), "deployments[0].model"),
        bad(
            "POST",
            mappings,
            "{\"alias\":\"w\",\"deployments\":[{\"provider\":\"mock\",\"model\":\"m\","
                + "\"weight\":1e400}]}",
            "deployments[0].weight"),
        bad(
            "POST",
            mappings,
            "{\"alias\":\"w\",\"retries\":\"2\",\"deployments\":[{\"provider\":\"mock\","
                + "\"model\":\"m\"}]}",
            "retries"),
        bad(
            "POST",
            prices,
            "{\"provider\":12,\"model\":\"m\",\"inputPerMillion\":1," + "\"outputPerMillion\":1}",
            "provider"),
        bad(
            "POST",
            prices,
            "{\"provider\":\"p\",\"model\":\""
                + NAME_129
                + "\",\"inputPerMillion\":1,"
                + "\"outputPerMillion\":1}",
            "model"),
        bad("POST", "/api/admin/cache/warm", "{\"models\":[\"a\\u0000\"]}", "models"),
        bad(
            "POST",
            "/api/admin/providers/config",
            "{\"provider\":\"mock\",\"regionalEndpoints\":{\"eu\\u202E\":\"https://eu.example\"}}",
            "regionalEndpoints"));
  }

  private static String price(String fields) {
    return "{\"provider\":\"p\",\"model\":\"m\",\"outputPerMillion\":1," + fields + "}";
  }

  private static String mapping(String alias, String model) {
    return "{\"alias\":"
        + alias
        + ",\"deployments\":[{\"provider\":\"mock\",\"model\":"
        + model
        + "}]}";
  }

  private static Arguments bad(String method, String path, String body, String field) {
    return Arguments.of(method, path, body, field);
  }

  @ParameterizedTest(name = "{0} {1} {3}")
  @MethodSource("badInputs")
  void aBadInputAnswers400NamingTheField(String method, String path, String body, String field)
      throws Exception {
    HttpResponse<String> response = gateway.admin(method, path.replace("{group}", groupId), body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = TestGateway.json(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo(field);
    assertThat(error.get("message").asText()).contains(field.replaceAll("\\[.*", ""));
    assertThat(error.get("message").asText().length()).isLessThan(400);
  }

  @Test
  void valuesAtTheEdgesStillPass() throws Exception {
    String name128 = "Team A/prod@eu:1.2_x-y " + "n".repeat(105);
    assertThat(name128).hasSize(128);
    for (String[] call :
        List.of(
            new String[] {"POST", "/api/admin/virtual-keys", "{\"name\":\"" + name128 + "\"}"},
            new String[] {"POST", "/api/admin/virtual-keys", "{\"name\":\"Équipe données 東京\"}"},
            new String[] {
              "POST",
              "/api/admin/virtual-keys",
              "{\"name\":\"b\",\"maxBudget\":9007199.254740992,\"rpm\":9223372036854775807,"
                  + "\"allowedModels\":[\"gpt-*\",\"models/gemini-2.5-flash\"],"
                  + "\"metadata\":{\"note\":\"tab\\tand\\nlines are fine here\"}}"
            },
            new String[] {"POST", "/api/admin/key-groups", "{\"name\":\"g\",\"balance\":0}"},
            new String[] {
              "POST",
              "/api/admin/key-groups/" + groupId + "/adjust-balance",
              "{\"amount\":-0.000000001,\"reason\":\"" + "r".repeat(1024) + "\"}"
            },
            new String[] {
              "POST",
              "/api/admin/model-costs",
              "{\"provider\":\"bedrock\",\"model\":\"anthropic.claude-3-5-sonnet-20240620-v1:0\","
                  + "\"inputPerMillion\":0,\"outputPerMillion\":1000000,\"maxOutputTokens\":1}"
            },
            new String[] {
              "POST",
              "/api/admin/providers",
              "{\"name\":\"p-"
                  + "q".repeat(126)
                  + "\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:1/v1\","
                  + "\"timeouts\":{\"connectMs\":1}}"
            },
            new String[] {
              "POST",
              "/api/admin/model-mappings",
              "{\"alias\":\"claude-3-5-sonnet@20240620\",\"deployments\":[{\"provider\":\"mock\","
                  + "\"model\":\"ft:gpt-4o-mini:org:custom:abc\",\"weight\":0}]}"
            })) {
      HttpResponse<String> response = gateway.admin(call[0], call[1], call[2]);
      assertThat(response.statusCode()).as(call[2] + " -> " + response.body()).isBetween(200, 201);
    }
  }
}
