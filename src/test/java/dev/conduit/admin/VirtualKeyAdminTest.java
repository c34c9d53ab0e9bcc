package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The admin API's master key check and the virtual key endpoints. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualKeyAdminTest extends GatewayOnMock {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected Clock clock() {
    return clock;
  }

  private HttpResponse<String> adminWith(String header, String value) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.adminUrl("/api/admin/virtual-keys")));
    if (header != null) {
      request.header(header, value);
    }
    return gateway.send(request, "GET", null);
  }

  @Test
  void theAdminApiNeedsTheMasterKey() throws Exception {
    HttpResponse<String> missing = adminWith(null, null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(TestGateway.json(missing.body()).path("error").path("code").asText())
        .isEqualTo("missing_master_key");
    HttpResponse<String> wrong = adminWith("X-Master-Key", "condt_admin_wrong");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(TestGateway.json(wrong.body()).path("error").path("type").asText())
        .isEqualTo("authentication_error");

    assertThat(adminWith("X-Master-Key", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
    assertThat(adminWith("Authorization", "Bearer " + TestGateway.MASTER_KEY).statusCode())
        .isEqualTo(200);
    assertThat(
            gateway
                .send(
                    HttpRequest.newBuilder(
                        URI.create(gateway.adminUrl("/api/admin/anything-else"))),
                    "GET",
                    null)
                .statusCode())
        .as("nothing under /api/admin is reachable without the key")
        .isEqualTo(401);
    assertThat(
            gateway
                .send(
                    HttpRequest.newBuilder(URI.create(gateway.adminUrl("/health/ready"))),
                    "GET",
                    null)
                .statusCode())
        .as("health is open")
        .isEqualTo(200);
  }

  @Test
  void aCreatedKeyIsShownOnceAndNeverAgain() throws Exception {
    JsonNode created =
        gateway.createKey(
            "{\"name\":\"shown-once\","
                + "\"allowedModels\":[\"gpt-4o\"],\"expiresAt\":\"2026-12-31T00:00:00Z\","
                + "\"metadata\":{\"owner\":\"team-a\"}}");
    String secret = created.get("key").asText();
    String id = created.get("id").asText();

    assertThat(secret).startsWith("condt_").hasSizeGreaterThanOrEqualTo(6 + 32);
    assertThat(secret.substring(6)).matches("[A-Za-z0-9_-]+");
    assertThat(created.get("keyHint").asText()).isNotEqualTo(secret);
    assertThat(created.get("expiresAt").asText()).isEqualTo("2026-12-31T00:00:00Z");

    String listed = gateway.admin("GET", "/api/admin/virtual-keys", null).body();
    String single = gateway.admin("GET", "/api/admin/virtual-keys/" + id, null).body();
    assertThat(listed).contains(id).doesNotContain(secret);
    assertThat(single).contains("shown-once").doesNotContain(secret);
    assertThat(TestGateway.json(single).has("key")).isFalse();
    assertThat(TestGateway.json(single).path("metadata").path("owner").asText())
        .isEqualTo("team-a");
  }

  @Test
  void changesApplyToTheClientApiAtOnce() throws Exception {
    JsonNode created = gateway.createKey("{\"name\":\"changing\"}");
    String secret = created.get("key").asText();
    String path = "/api/admin/virtual-keys/" + created.get("id").asText();
    String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    assertThat(gateway.client("POST", "/v1/chat/completions", secret, chat).statusCode())
        .isEqualTo(200);

    HttpResponse<String> restricted =
        gateway.admin(
            "PATCH", path, "{\"allowedModels\":[\"text-embedding-3-small\"],\"name\":\"renamed\"}");
    assertThat(restricted.statusCode()).isEqualTo(200);
    assertThat(TestGateway.json(restricted.body()).path("name").asText()).isEqualTo("renamed");
    assertThat(gateway.client("POST", "/v1/chat/completions", secret, chat).statusCode())
        .isEqualTo(403);

    gateway.admin("PATCH", path, "{\"allowedModels\":null,\"enabled\":false}");
    assertThat(gateway.client("POST", "/v1/chat/completions", secret, chat).statusCode())
        .isEqualTo(401);

    gateway.admin("PATCH", path, "{\"enabled\":true}");
    assertThat(gateway.client("POST", "/v1/chat/completions", secret, chat).statusCode())
        .isEqualTo(200);

    HttpResponse<String> revoked = gateway.admin("DELETE", path, null);
    assertThat(TestGateway.json(revoked.body()).path("revoked").asBoolean()).isTrue();
    assertThat(gateway.client("POST", "/v1/chat/completions", secret, chat).statusCode())
        .isEqualTo(401);
  }

  @Test
  void anExpiredKeyIs401() throws Exception {
    Instant expiry = clock.instant().plus(Duration.ofHours(1));
    String secret =
        gateway
            .createKey("{\"name\":\"expiring\",\"expiresAt\":\"" + expiry + "\"}")
            .get("key")
            .asText();
    assertThat(gateway.client("GET", "/v1/models", secret, null).statusCode()).isEqualTo(200);

    clock.advance(Duration.ofHours(2));
    try {
      HttpResponse<String> expired = gateway.client("GET", "/v1/models", secret, null);
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(TestGateway.json(expired.body()).path("error").path("code").asText())
          .isEqualTo("expired_api_key");
    } finally {
      clock.advance(Duration.ofHours(-2));
    }
  }

  @Test
  void invalidInputIs400NamingTheField() throws Exception {
    assertBadField("{}", "name");
    assertBadField("{\"name\":\"x\",\"allowedModels\":\"gpt-4o\"}", "allowedModels");
    assertBadField("{\"name\":\"x\",\"expiresAt\":\"tomorrow\"}", "expiresAt");
    assertBadField("{\"name\":\"x\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}", "expiresAt");
    assertBadField("{\"name\":\"x\",\"metadata\":[1]}", "metadata");
    assertBadField("{\"name\":\"x\",\"nmae\":\"typo\"}", "nmae");
    HttpResponse<String> notJson = gateway.admin("POST", "/api/admin/virtual-keys", "{name:");
    assertThat(notJson.statusCode()).isEqualTo(400);
  }

  @Test
  void unknownKeysAre404() throws Exception {
    HttpResponse<String> response = gateway.admin("GET", "/api/admin/virtual-keys/nope", null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(TestGateway.json(response.body()).path("error").path("message").asText())
        .contains("nope");
    assertThat(
            gateway
                .admin("PATCH", "/api/admin/virtual-keys/nope", "{\"enabled\":false}")
                .statusCode())
        .isEqualTo(404);
    assertThat(gateway.admin("DELETE", "/api/admin/virtual-keys/nope", null).statusCode())
        .isEqualTo(404);
  }

  private void assertBadField(String body, String field) throws Exception {
    HttpResponse<String> response = gateway.admin("POST", "/api/admin/virtual-keys", body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertThat(TestGateway.json(response.body()).path("error").path("param").asText())
        .as(body)
        .isEqualTo(field);
  }
}
