package dev.conduit.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.GatewayOnMock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The {@code least-cost} routing strategy orders deployments by the price table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastCostRoutingTest extends GatewayOnMock {

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String extraYaml() {
    return """
          - alias: cheapest
            strategy: least-cost
            deployments:
              - { provider: mock, model: dear-model }
              - { provider: mock, model: cheap-model }
        """;
  }

  @Test
  void theCheapestPricedDeploymentAnswersAndAPriceChangeMovesTraffic() throws Exception {
    String dear = price("dear-model", 10);
    price("cheap-model", 1);
    String key = gateway.newKey();

    assertThat(providerUsed(key)).isEqualTo("mock/cheap-model");

    gateway.admin(
        "PUT",
        "/api/admin/model-costs/" + dear,
        "{\"provider\":\"mock\","
            + "\"model\":\"dear-model\",\"inputPerMillion\":0.1,\"outputPerMillion\":0.1}");
    assertThat(providerUsed(key)).isEqualTo("mock/dear-model");
  }

  private String price(String model, int dollars) throws Exception {
    String perMillion = String.valueOf(dollars);
    return gateway.price("mock", model, perMillion, perMillion).get("id").asText();
  }

  private String providerUsed(String key) throws Exception {
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
