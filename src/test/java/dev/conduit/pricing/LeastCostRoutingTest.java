package dev.conduit.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import org.junit.jupiter.api.Test;

/** The {@code least-cost} routing strategy orders deployments by the price table. */
class LeastCostRoutingTest {

  @Test
  void theCheapestPricedDeploymentAnswersAndAPriceChangeMovesTraffic() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite()) {
      String yaml =
          Yaml.withMock(mock, db.url(), null)
              + "  - alias: cheapest\n    strategy: least-cost\n    deployments:\n"
              + "      - { provider: mock, model: dear-model }\n"
              + "      - { provider: mock, model: cheap-model }\n";
      try (TestGateway gateway = TestGateway.start(yaml)) {
        String dear = price(gateway, "dear-model", 10);
        price(gateway, "cheap-model", 1);
        String key = gateway.newKey();

        assertThat(providerUsed(gateway, key)).isEqualTo("mock/cheap-model");

        gateway.admin(
            "PUT",
            "/api/admin/model-costs/" + dear,
            "{\"provider\":\"mock\","
                + "\"model\":\"dear-model\",\"inputPerMillion\":0.1,\"outputPerMillion\":0.1}");
        assertThat(providerUsed(gateway, key)).isEqualTo("mock/dear-model");
      }
    }
  }

  private static String price(TestGateway gateway, String model, int dollars) throws Exception {
    String perMillion = String.valueOf(dollars);
    return gateway.price("mock", model, perMillion, perMillion).get("id").asText();
  }

  private static String providerUsed(TestGateway gateway, String key) throws Exception {
    return gateway
        .client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"cheapest\"," + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .headers()
        .firstValue("X-Provider-Used")
        .orElseThrow();
  }
}
