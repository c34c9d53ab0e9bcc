package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Provider and model-mapping definitions through the admin API: create, read, replace and delete
 * without restart, keys encrypted at rest and shown by their last four characters, how file and
 * database definitions combine, and the error shapes (404 unknown, 400 naming the field, 409).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderAdminApiTest extends GatewayOnMock {
  private static final String FILE_KEY = "sk-file-provider-key-0123456789abcd";
  private static final String NEW_KEY = "sk-admin-created-key-9876543210wxyz";

  private String key;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String yaml() {
    return """
        server:
          eventLoops: 1
        database:
          url: "%s"
        routing:
          healthCheckIntervalMs: 0
        providers:
          - name: from-file
            type: openai
            baseUrl: %s
            apiKey: %s
        models:
          - alias: file-alias
            deployments:
              - { provider: from-file, model: file-model }
        """
        .formatted(db.url(), mock.baseUrl(), FILE_KEY);
  }

  @Override
  protected Map<String, String> env() {
    return Map.of("CONDUIT_ENCRYPTION_KEY", "provider-admin-test-key");
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
  }

  private HttpResponse<String> chat(String model) throws Exception {
    return gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private static JsonNode error(HttpResponse<String> response) throws Exception {
    return TestGateway.json(response.body()).path("error");
  }

  @Test
  void providersAndMappingsAreCreatedChangedAndDeletedWithoutRestart() throws Exception {
    HttpResponse<String> created =
        gateway.admin(
            "POST",
            "/api/admin/providers",
            "{\"name\":\"created\",\"type\":\"openai\",\"baseUrl\":\""
                + mock.baseUrl()
                + "\",\"apiKey\":\""
                + NEW_KEY
                + "\",\"timeouts\":{\"firstByteMs\":5000}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode provider = TestGateway.json(created.body());
    assertThat(provider.path("apiKeys").get(0).asText()).isEqualTo("****wxyz");
    assertThat(provider.path("source").asText()).isEqualTo("database");
    assertThat(created.body()).doesNotContain(NEW_KEY);

    HttpResponse<String> mapping =
        gateway.admin(
            "POST",
            "/api/admin/model-mappings",
            "{\"alias\":\"created-alias\",\"strategy\":\"round-robin\",\"retries\":1,"
                + "\"deployments\":[{\"provider\":\"created\",\"model\":\"created-model\"}]}");
    assertThat(mapping.statusCode()).as(mapping.body()).isEqualTo(201);
    assertThat(TestGateway.json(mapping.body()).path("strategy").asText()).isEqualTo("round-robin");

    HttpResponse<String> answered = chat("created-alias");
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.headers().firstValue("X-Provider-Used")).hasValue("created/created-model");
    assertThat(mock.lastReceived().headers().get("authorization")).isEqualTo("Bearer " + NEW_KEY);

    // Stored encrypted: the key is nowhere in the database in clear.
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT definition, api_keys FROM admin_providers WHERE name = 'created'")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).doesNotContain(NEW_KEY);
      assertThat(rows.getString(2)).startsWith("v1:").doesNotContain(NEW_KEY);
    }

    // PUT without keys keeps the stored key; the new base URL takes effect at once.
    MockUpstream other = new MockUpstream();
    try {
      HttpResponse<String> replaced =
          gateway.admin(
              "PUT",
              "/api/admin/providers/created",
              "{\"type\":\"openai\",\"baseUrl\":\"" + other.baseUrl() + "\"}");
      assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
      assertThat(TestGateway.json(replaced.body()).path("apiKeys").get(0).asText())
          .isEqualTo("****wxyz");
      assertThat(chat("created-alias").statusCode()).isEqualTo(200);
      assertThat(other.calls("created-model")).isEqualTo(1);
      assertThat(other.lastReceived().headers().get("authorization"))
          .isEqualTo("Bearer " + NEW_KEY);
    } finally {
      other.close();
    }

    HttpResponse<String> inUse = gateway.admin("DELETE", "/api/admin/providers/created", null);
    assertThat(inUse.statusCode()).isEqualTo(409);
    assertThat(
            gateway.admin("DELETE", "/api/admin/model-mappings/created-alias", null).statusCode())
        .isEqualTo(200);
    assertThat(chat("created-alias").statusCode()).isEqualTo(404);
    assertThat(gateway.admin("DELETE", "/api/admin/providers/created", null).statusCode())
        .isEqualTo(200);
    assertThat(gateway.admin("GET", "/api/admin/providers/created", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void fileDefinitionsAreListedAndADatabaseDefinitionOverridesThemByName() throws Exception {
    JsonNode list = TestGateway.json(gateway.admin("GET", "/api/admin/providers", null).body());
    JsonNode fromFile = null;
    for (JsonNode entry : list.path("data")) {
      if (entry.path("name").asText().equals("from-file")) {
        fromFile = entry;
      }
    }
    assertThat(fromFile).isNotNull();
    assertThat(fromFile.path("source").asText()).isEqualTo("file");
    assertThat(fromFile.path("apiKeys").get(0).asText()).isEqualTo("****abcd");
    assertThat(list.toString()).doesNotContain(FILE_KEY);

    JsonNode mappings =
        TestGateway.json(gateway.admin("GET", "/api/admin/model-mappings", null).body());
    assertThat(mappings.path("data").get(0).path("alias").asText()).isEqualTo("file-alias");
    assertThat(mappings.path("data").get(0).path("source").asText()).isEqualTo("file");

    HttpResponse<String> overridden =
        gateway.admin(
            "PUT",
            "/api/admin/model-mappings/file-alias",
            "{\"deployments\":[{\"provider\":\"from-file\",\"model\":\"overridden-model\"}]}");
    assertThat(overridden.statusCode()).as(overridden.body()).isEqualTo(200);
    assertThat(TestGateway.json(overridden.body()).path("source").asText()).isEqualTo("database");
    assertThat(chat("file-alias").headers().firstValue("X-Provider-Used"))
        .hasValue("from-file/overridden-model");
  }

  @Test
  void aProviderCreatedAgainAfterDeletionStartsEnabled() throws Exception {
    String body =
        "{\"name\":\"again\",\"type\":\"openai\",\"baseUrl\":\""
            + mock.baseUrl()
            + "\",\"apiKey\":\"sk-again-0000\"}";
    assertThat(gateway.admin("POST", "/api/admin/providers", body).statusCode()).isEqualTo(201);
    gateway.admin("PATCH", "/api/admin/providers/again/disable", null);
    assertThat(gateway.admin("DELETE", "/api/admin/providers/again", null).statusCode())
        .isEqualTo(200);
    HttpResponse<String> recreated = gateway.admin("POST", "/api/admin/providers", body);
    assertThat(recreated.statusCode()).isEqualTo(201);
    assertThat(TestGateway.json(recreated.body()).path("enabled").asBoolean()).isTrue();
  }

  @Test
  void unknownNamesAre404InTheErrorShape() throws Exception {
    for (String[] call :
        new String[][] {
          {"GET", "/api/admin/providers/nope"},
          {"PUT", "/api/admin/providers/nope"},
          {"DELETE", "/api/admin/providers/nope"},
          {"PATCH", "/api/admin/providers/nope/disable"},
          {"PATCH", "/api/admin/providers/nope/enable"},
          {"POST", "/api/admin/providers/nope/reset-circuit"},
          {"GET", "/api/admin/model-mappings/nope"},
          {"DELETE", "/api/admin/model-mappings/nope"}
        }) {
      String body = call[0].equals("PUT") ? "{\"type\":\"openai\"}" : null;
      HttpResponse<String> response = gateway.admin(call[0], call[1], body);
      assertThat(response.statusCode()).as(call[0] + " " + call[1]).isEqualTo(404);
      assertThat(error(response).path("code").asText()).isEqualTo("not_found");
      assertThat(error(response).path("message").asText()).contains("nope");
    }
  }

  @Test
  void invalidBodiesAre400NamingTheField() throws Exception {
    Map<String, String> cases =
        Map.of(
            "{\"name\":\"x1\",\"type\":\"openai\",\"baseUrl\":\"ftp://x\",\"apiKey\":\"k\"}",
            "baseUrl",
            "{\"name\":\"x2\",\"type\":\"nonsense\",\"apiKey\":\"k\"}",
            "type",
            "{\"name\":\"x3\",\"type\":\"openai\",\"apiKey\":\"k\",\"colour\":\"red\"}",
            "colour",
            "{\"name\":\"x4\",\"type\":\"openai\",\"apiKey\":\"k\",\"timeouts\":{\"connectMs\":-1}}",
            "timeouts.connectMs",
            "{\"name\":\"health\",\"type\":\"openai\",\"apiKey\":\"k\"}",
            "name",
            "{\"name\":\"from-file\",\"type\":\"openai\",\"apiKey\":\"k\"}",
            "name",
            "{\"name\":\"x5\",\"type\":\"openai\",\"apiKey\":\"k\",\"accessKeyId\":\"A\"}",
            "accessKeyId",
            "{\"name\":\"x6\",\"type\":\"bedrock\",\"accessKeyId\":[\"A\"]}",
            "accessKeyId");
    for (Map.Entry<String, String> bad : cases.entrySet()) {
      HttpResponse<String> response = gateway.admin("POST", "/api/admin/providers", bad.getKey());
      assertThat(response.statusCode()).as(bad.getKey() + " -> " + response.body()).isIn(400, 409);
      assertThat(error(response).path("param").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
    }
    Map<String, String> mappingCases =
        Map.of(
            "{\"alias\":\"m1\",\"deployments\":[{\"provider\":\"nope\",\"model\":\"m\"}]}",
            "deployments[0].provider",
            "{\"alias\":\"m2\",\"strategy\":\"fastest\",\"deployments\":[{\"provider\":"
                + "\"from-file\",\"model\":\"m\"}]}",
            "strategy",
            "{\"alias\":\"m3\",\"fallbacks\":[\"nope\"],\"deployments\":[{\"provider\":"
                + "\"from-file\",\"model\":\"m\"}]}",
            "fallbacks[0]",
            "{\"alias\":\"m4\",\"deployments\":[]}",
            "deployments",
            "{\"alias\":\"m5\",\"retries\":\"many\",\"deployments\":[{\"provider\":\"from-file\","
                + "\"model\":\"m\"}]}",
            "retries");
    for (Map.Entry<String, String> bad : mappingCases.entrySet()) {
      HttpResponse<String> response =
          gateway.admin("POST", "/api/admin/model-mappings", bad.getKey());
      assertThat(response.statusCode()).as(bad.getKey() + " -> " + response.body()).isEqualTo(400);
      assertThat(error(response).path("param").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
    }
    HttpResponse<String> noModels = gateway.admin("POST", "/api/admin/cache/warm", "{}");
    assertThat(noModels.statusCode()).isEqualTo(400);
    assertThat(error(noModels).path("param").asText()).isEqualTo("models");
    HttpResponse<String> noEndpoints =
        gateway.admin("POST", "/api/admin/providers/config", "{\"provider\":\"from-file\"}");
    assertThat(noEndpoints.statusCode()).isEqualTo(400);
    assertThat(error(noEndpoints).path("param").asText()).isEqualTo("regionalEndpoints");
  }

  @Test
  void cacheWarmReportsEachModelAndAnUnknownAliasIsNotAnError() throws Exception {
    HttpResponse<String> response =
        gateway.admin(
            "POST", "/api/admin/cache/warm", "{\"models\":[\"file-alias\",\"no-such-alias\"]}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode data = TestGateway.json(response.body()).path("data");
    assertThat(data.get(0).path("status").asText()).isEqualTo("warmed");
    assertThat(data.get(0).path("deployments").get(0).path("status").asText())
        .isEqualTo("connected");
    assertThat(data.get(1).path("model").asText()).isEqualTo("no-such-alias");
    assertThat(data.get(1).path("status").asText()).isEqualTo("not_found");
  }

  @Test
  void withoutTheMasterKeyTheProviderEndpointsAre401() throws Exception {
    HttpResponse<String> response =
        gateway.send(
            java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gateway.adminUrl("/api/admin/providers/health"))),
            "GET",
            null);
    assertThat(response.statusCode()).isEqualTo(401);
  }
}
