package dev.conduit.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Active health checks run on their own at the configured interval. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthCheckScheduleTest extends GatewayOnMock {

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
          healthCheckIntervalMs: 100
        providers:
          - name: checked
            type: openai
            baseUrl: %s
            apiKeys: [%sabcdefgh, sk-fine-12345678]
        models:
          - alias: m
            deployments: [ { provider: checked, model: m } ]
        """
        .formatted(db.url(), mock.baseUrl(), MockUpstream.REJECTED_KEY_PREFIX);
  }

  @Test
  void checksRunOnTheirOwnAndARejectedKeyLeavesTheRotation() throws Exception {
    JsonNode checked =
        Eventually.await(
            "two health checks with both keys",
            () -> {
              for (JsonNode entry :
                  TestGateway.json(gateway.admin("GET", "/api/admin/providers/health", null).body())
                      .path("data")) {
                if (entry.path("name").asText().equals("checked")) {
                  return entry;
                }
              }
              return null;
            },
            entry ->
                entry != null
                    && entry.path("lastCheckOk").asBoolean()
                    && entry.path("apiKeys").path("active").asInt() == 1);

    assertThat(checked.path("apiKeys").path("total").asInt()).isEqualTo(2);
    assertThat(checked.path("status").asText()).isEqualTo("degraded");
    assertThat(mock.received("/v1/models")).isGreaterThanOrEqualTo(2);
  }
}
