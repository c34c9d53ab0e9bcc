package dev.conduit.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.config.ProviderConfig;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Message;
import dev.conduit.route.Deployment;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Regional endpoints: a deployment's region (or its provider's default) picks the URL called. */
class RegionalEndpointsTest {

  @Test
  void aDeploymentIsCalledAtItsRegionsUrl() throws Exception {
    try (MockUpstream us = new MockUpstream();
        MockUpstream eu = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway =
            TestGateway.start(
                """
            server:
              eventLoops: 1
            database:
              url: "%s"
            routing:
              healthCheckIntervalMs: 0
            providers:
              - name: multi
                type: openai
                apiKey: sk-test-regional-0123456789
                region: us-east
                regionalEndpoints:
                  us-east: %s
                  eu-west: %s
            models:
              - alias: default-region
                deployments: [{ provider: multi, model: gpt-4o }]
              - alias: in-eu
                deployments: [{ provider: multi, model: gpt-4o, region: eu-west }]
            """
                    .formatted(db.url(), us.baseUrl(), eu.baseUrl()))) {
      String key = gateway.newKey();
      String body = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

      assertThat(
              gateway
                  .client("POST", "/v1/chat/completions", key, body.formatted("default-region"))
                  .statusCode())
          .isEqualTo(200);
      assertThat(us.received()).hasSize(1);
      assertThat(eu.received()).isEmpty();

      assertThat(
              gateway
                  .client("POST", "/v1/chat/completions", key, body.formatted("in-eu"))
                  .statusCode())
          .isEqualTo(200);
      assertThat(eu.received()).hasSize(1);
      assertThat(us.received()).hasSize(1);
    }
  }

  @Test
  void theDefaultRegionAppliesToDeploymentsThatNameNoneAndAdminEndpointsReplaceConfiguredOnes() {
    ProviderConfig config =
        new ProviderConfig(
            "claude",
            "anthropic",
            null,
            "sk-ant-test-0123456789",
            List.of(),
            null,
            null,
            "us",
            Map.of("us", "https://us.example.com", "eu", "https://eu.example.com/"),
            null);
    Provider provider = ProviderRegistry.build(List.of(config)).find("claude").orElseThrow();
    ChatRequest request = ChatRequest.builder().messages(List.of(Message.user("hi"))).build();

    assertThat(url(provider, request, "eu")).isEqualTo("https://eu.example.com/v1/messages");
    assertThat(url(provider, request, null)).isEqualTo("https://us.example.com/v1/messages");
    assertThat(url(provider, request, "ap"))
        .as("a region without its own URL")
        .isEqualTo("https://api.anthropic.com/v1/messages");

    // The provider snapshot rebuilt after an admin change (POST /api/admin/providers/config).
    Provider changed =
        ProviderRegistry.buildAll(
                List.of(config),
                name ->
                    new ProviderRuntime(
                        true,
                        Map.of("us", "https://us2.example.com", "eu", "https://eu2.example.com"),
                        null))
            .get("claude");
    assertThat(url(changed, request, "eu")).isEqualTo("https://eu2.example.com/v1/messages");
    assertThat(
            changed
                .adapter()
                .forwardRequest(
                    Endpoint.MESSAGES,
                    Buffer.buffer("{}"),
                    Deployment.of(changed, "claude-sonnet-4", null, null).target(),
                    false)
                .result()
                .url())
        .isEqualTo("https://us2.example.com/v1/messages");
  }

  @Test
  void anAzureProviderMayHaveRegionalUrlsOnly() {
    ProviderConfig config =
        new ProviderConfig(
            "az",
            "azure",
            null,
            "azure-key-0123456789",
            List.of(),
            null,
            null,
            "eastus",
            Map.of("eastus", "https://contoso-eastus.openai.azure.com"),
            null);
    Provider provider = ProviderRegistry.build(List.of(config)).find("az").orElseThrow();
    ChatRequest request = ChatRequest.builder().messages(List.of(Message.user("hi"))).build();

    assertThat(url(provider, request, null))
        .isEqualTo(
            "https://contoso-eastus.openai.azure.com"
                + "/openai/deployments/claude-sonnet-4/chat/completions?api-version=2024-10-21");
  }

  private static String url(Provider provider, ChatRequest request, String region) {
    Deployment deployment = Deployment.of(provider, "claude-sonnet-4", region, null);
    return provider.adapter().toUpstream(request, deployment.target()).result().url();
  }
}
