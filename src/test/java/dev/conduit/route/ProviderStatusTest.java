package dev.conduit.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.PromText;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a provider's status says from the operator's side (admin API and {@code
 * conduit_provider_health}) after the traffic of a black-box probe: a provider that fails often but
 * still answers, and whose health check passes, is degraded, not down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderStatusTest extends GatewayOnMock {
  private String key;

  @Override
  protected String database() {
    return "sqlite";
  }

  // Circuits that never open here: the status must come from the error rate alone.
  @Override
  protected String yaml() {
    return """
        server:
          eventLoops: 1
        database:
          url: "%1$s"
        routing:
          healthCheckIntervalMs: 0
          retries: 0
          circuitBreaker: { slidingWindow: 100, minimumCalls: 100 }
        providers:
          - name: erratic
            type: openai
            baseUrl: %2$s
            apiKey: sk-x
          - name: steady
            type: openai
            baseUrl: %2$s
            apiKey: sk-x
        models:
          - alias: erratic
            deployments:
              - { provider: erratic, model: flaky-2 }
              - { provider: steady, model: steady }
        """
        .formatted(db.url(), mock.baseUrl());
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
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
