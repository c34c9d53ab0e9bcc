package dev.conduit.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.PromText;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a provider's status says from the operator's side (admin API and {@code
 * conduit_provider_health}) after the traffic of a black-box probe: a provider that fails often but
 * still answers, and whose health check passes, is degraded, not down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderStatusTest {
  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private String key;

  @BeforeAll
  void start() throws Exception {
    mock = new MockUpstream();
    db = TestDatabases.sqlite();
    String provider = "    type: openai\n    baseUrl: " + mock.baseUrl() + "\n    apiKey: sk-x\n";
    // Circuits that never open here: the status must come from the error rate alone.
    gateway =
        TestGateway.start(
            "server:\n  eventLoops: 1\n"
                + "database:\n  url: \""
                + db.url()
                + "\"\n"
                + "routing:\n  healthCheckIntervalMs: 0\n  retries: 0\n"
                + "  circuitBreaker: { slidingWindow: 100, minimumCalls: 100 }\n"
                + "providers:\n  - name: erratic\n"
                + provider
                + "  - name: steady\n"
                + provider
                + "models:\n  - alias: erratic\n    deployments:\n"
                + "      - { provider: erratic, model: flaky-2 }\n"
                + "      - { provider: steady, model: steady }\n");
    key = gateway.newKey();
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    mock.close();
    db.close();
  }

  @Test
  void aProviderThatFailsHalfItsCallsButPassesItsCheckIsDegradedWithAReason() throws Exception {
    for (int i = 0; i < 16; i++) {
      HttpResponse<String> response =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              key,
              "{\"model\":\"erratic\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(response.statusCode()).as("every caller is served").isEqualTo(200);
    }
    assertThat(mock.calls("flaky-2")).isEqualTo(16);
    HttpResponse<String> checked = gateway.admin("POST", "/api/admin/providers/health/check", null);
    assertThat(checked.statusCode()).isEqualTo(200);

    JsonNode erratic = health("erratic");
    assertThat(erratic.path("lastCheckOk").asBoolean()).isTrue();
    assertThat(erratic.path("errorRate").asDouble()).isEqualTo(0.5);
    assertThat(erratic.path("status").asText()).isEqualTo("degraded");
    assertThat(erratic.path("reason").asText()).contains("8 of 16 recent calls failed");
    assertThat(health("steady").path("status").asText()).isEqualTo("healthy");
    assertThat(health("steady").path("reason").isNull()).isTrue();
    String metrics = gateway.client("GET", "/metrics", null, null).body();
    assertThat(PromText.value(metrics, "conduit_provider_health", Map.of("provider", "erratic")))
        .as("a provider that serves does not page as down")
        .hasValue(1.0);
  }

  private JsonNode health(String provider) throws Exception {
    HttpResponse<String> response = gateway.admin("GET", "/api/admin/providers/health", null);
    for (JsonNode entry : TestGateway.json(response.body()).path("data")) {
      if (entry.path("name").asText().equals(provider)) {
        return entry;
      }
    }
    throw new AssertionError("no health entry for " + provider + ": " + response.body());
  }
}
