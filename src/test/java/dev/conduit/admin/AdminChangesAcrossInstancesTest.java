package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.LogCapture;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin changes reach every gateway instance sharing the database (PostgreSQL): by polling without
 * Redis, by Redis pub/sub with it; and they survive a restart.
 */
class AdminChangesAcrossInstancesTest {
  private static final Map<String, String> ENV =
      Map.of("CONDUIT_ENCRYPTION_KEY", "shared-instances-test-key");

  private MockUpstream mock;
  private MockUpstream mockEu;
  private TestDatabases.TestDatabase db;

  @BeforeEach
  void setUp() throws Exception {
    mock = new MockUpstream();
    mockEu = new MockUpstream();
    db = TestDatabases.postgres();
  }

  @AfterEach
  void tearDown() throws Exception {
    mock.close();
    mockEu.close();
    db.close();
  }

  /** Changes are polled for every {@code changePollMs}; with {@code redis}, also published. */
  private String yaml(int changePollMs, boolean redis) {
    String yaml =
        """
        server:
          eventLoops: 1
        database:
          url: "%1$s"
          username: %2$s
        routing:
          healthCheckIntervalMs: 0
          changePollMs: %3$d
        providers:
          - name: shared
            type: openai
            baseUrl: %4$s
            apiKey: sk-shared-provider-key-0123
        models:
          - alias: shared-alias
            retries: 0
            deployments:
              - { provider: shared, model: shared-model, region: eu-west }
        """
            .formatted(db.url(), db.username(), changePollMs, mock.baseUrl());
    return redis
        ? yaml
            + """
            redis:
              url: redis://127.0.0.1:6379
            """
        : yaml;
  }

  private static JsonNode health(TestGateway gateway, String provider) throws Exception {
    JsonNode list =
        TestGateway.json(gateway.admin("GET", "/api/admin/providers/health", null).body())
            .path("data");
    for (JsonNode entry : list) {
      if (entry.path("name").asText().equals(provider)) {
        return entry;
      }
    }
    return null;
  }

  private static int chat(TestGateway gateway, String key, String model) throws Exception {
    return gateway
        .client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .statusCode();
  }

  @Test
  void withoutRedisEveryInstanceSeesAChangeByPolling() throws Exception {
    try (TestGateway a = TestGateway.start(yaml(100, false), ENV);
        TestGateway b = TestGateway.start(yaml(100, false), ENV)) {
      String keyB = b.newKey();
      assertThat(chat(b, keyB, "shared-alias")).isEqualTo(200);

      assertThat(a.admin("PATCH", "/api/admin/providers/shared/disable", null).statusCode())
          .isEqualTo(200);
      Eventually.await(
          "instance B to see the provider disabled",
          () -> health(b, "shared"),
          entry -> entry.path("status").asText().equals("disabled"));
      Eventually.await(
          "instance B to stop sending traffic",
          () -> chat(b, keyB, "shared-alias"),
          status -> status == 503);

      a.admin("PATCH", "/api/admin/providers/shared/enable", null);
      Eventually.await(
          "instance B to serve again",
          () -> chat(b, keyB, "shared-alias"),
          status -> status == 200);

      // Regional endpoints set on A change the URL B calls.
      a.admin(
          "POST",
          "/api/admin/providers/config",
          "{\"provider\":\"shared\","
              + "\"regionalEndpoints\":{\"eu-west\":\"http://127.0.0.1:"
              + mockEu.port()
              + "\"}}");
      Eventually.await(
          "instance B to call the regional endpoint",
          () -> {
            chat(b, keyB, "shared-alias");
            return mockEu.calls("shared-model");
          },
          calls -> calls > 0);

      // A provider and an alias created on A are served by B.
      a.admin(
          "POST",
          "/api/admin/providers",
          "{\"name\":\"added\",\"type\":\"openai\","
              + "\"baseUrl\":\""
              + mock.baseUrl()
              + "\",\"apiKeys\":[\"sk-added-key-00001111\"]}");
      a.admin(
          "POST",
          "/api/admin/model-mappings",
          "{\"alias\":\"added-alias\","
              + "\"deployments\":[{\"provider\":\"added\",\"model\":\"added-model\"}]}");
      Eventually.await(
          "instance B to serve the new alias",
          () -> chat(b, keyB, "added-alias"),
          status -> status == 200);
      assertThat(mock.lastReceived().headers().get("authorization"))
          .isEqualTo("Bearer sk-added-key-00001111");

      // A circuit reset asked on A closes B's circuits too.
      mock.breakModel("shared-model", 503);
      mockEu.breakModel("shared-model", 503);
      for (int i = 0; i < 10; i++) {
        chat(b, keyB, "shared-alias");
      }
      assertThat(health(b, "shared").path("deployments").get(0).path("circuitState").asText())
          .isEqualTo("open");
      mockEu.healModel("shared-model");
      a.admin("POST", "/api/admin/providers/shared/reset-circuit", null);
      Eventually.await(
          "instance B's circuit to close",
          () -> health(b, "shared").path("deployments").get(0).path("circuitState").asText(),
          "closed"::equals);
      assertThat(chat(b, keyB, "shared-alias")).isEqualTo(200);
    }
  }

  @Test
  void withRedisAChangeArrivesByPubSub() throws Exception {
    // Polling so slow that only a pub/sub message can bring the change within the test.
    try (TestGateway a = TestGateway.start(yaml(600_000, true), ENV);
        TestGateway b = TestGateway.start(yaml(600_000, true), ENV)) {
      // B subscribes in the background; repeat the change until it has arrived.
      Eventually.await(
          "instance B to see the provider disabled",
          () -> {
            a.admin("PATCH", "/api/admin/providers/shared/enable", null);
            a.admin("PATCH", "/api/admin/providers/shared/disable", null);
            return health(b, "shared");
          },
          entry -> entry.path("status").asText().equals("disabled"));
      a.admin("PATCH", "/api/admin/providers/shared/enable", null);
      Eventually.await(
          "instance B to see the provider enabled",
          () -> health(b, "shared"),
          entry -> entry.path("enabled").asBoolean());
    }
  }

  @Test
  void changesSurviveARestart() throws Exception {
    try (TestGateway first = TestGateway.start(yaml(100, false), ENV)) {
      first.admin("PATCH", "/api/admin/providers/shared/disable", null);
      first.admin(
          "POST",
          "/api/admin/providers",
          "{\"name\":\"kept\",\"type\":\"openai\","
              + "\"baseUrl\":\""
              + mock.baseUrl()
              + "\",\"apiKey\":\"sk-kept-key-0000abcd\"}");
      first.admin(
          "POST",
          "/api/admin/model-mappings",
          "{\"alias\":\"kept-alias\","
              + "\"deployments\":[{\"provider\":\"kept\",\"model\":\"kept-model\"}]}");
    }
    try (TestGateway second = TestGateway.start(yaml(100, false), ENV)) {
      String key = second.newKey();
      assertThat(health(second, "shared").path("status").asText()).isEqualTo("disabled");
      assertThat(chat(second, key, "shared-alias")).isEqualTo(503);
      assertThat(chat(second, key, "kept-alias")).isEqualTo(200);
      assertThat(mock.lastReceived().headers().get("authorization"))
          .isEqualTo("Bearer sk-kept-key-0000abcd");
      HttpResponse<String> kept = second.admin("GET", "/api/admin/providers/kept", null);
      assertThat(TestGateway.json(kept.body()).path("apiKeys").get(0).asText())
          .isEqualTo("****abcd");
    }
    // Another encryption key cannot read the stored keys: the file's definitions still serve.
    try (LogCapture logs = new LogCapture();
        TestGateway wrongKey =
            TestGateway.start(
                yaml(100, false), Map.of("CONDUIT_ENCRYPTION_KEY", "not-the-same-key"))) {
      String key = wrongKey.newKey();
      assertThat(logs.text()).contains("cannot be used").contains("encryption key");
      assertThat(chat(wrongKey, key, "kept-alias")).isEqualTo(404);
      assertThat(wrongKey.admin("GET", "/api/admin/providers/shared", null).statusCode())
          .isEqualTo(200);
    }
  }
}
