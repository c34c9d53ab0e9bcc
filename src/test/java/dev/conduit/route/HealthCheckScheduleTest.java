package dev.conduit.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** Active health checks run on their own at the configured interval. */
class HealthCheckScheduleTest {

  @Test
  void checksRunOnTheirOwnAndARejectedKeyLeavesTheRotation() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway =
            TestGateway.start(
                "server:\n  eventLoops: 1\n"
                    + "database:\n  url: \""
                    + db.url()
                    + "\"\n"
                    + "routing:\n  healthCheckIntervalMs: 100\n"
                    + "providers:\n"
                    + "  - name: checked\n    type: openai\n    baseUrl: "
                    + mock.baseUrl()
                    + "\n"
                    + "    apiKeys: ["
                    + MockUpstream.REJECTED_KEY_PREFIX
                    + "abcdefgh, sk-fine-12345678]\n"
                    + "models:\n  - alias: m\n    deployments: [ { provider: checked, model: m } ]\n")) {
      JsonNode checked =
          Eventually.await(
              "two health checks with both keys",
              () -> {
                for (JsonNode entry :
                    TestGateway.json(
                            gateway.admin("GET", "/api/admin/providers/health", null).body())
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
}
