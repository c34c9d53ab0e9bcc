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
        TestGateway gateway = TestGateway.start("""
            server:
              eventLoops: 1
            database:
              url: "%s"
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
            """.formatted(db.url(), us.baseUrl(), eu.baseUrl()))) {
      String key = gateway.newKey();
      String body = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

      assertThat(gateway.client("POST", "/v1/chat/completions", key,
          body.formatted("default-region")).statusCode()).isEqualTo(200);
      assertThat(us.received()).hasSize(1);
      assertThat(eu.received()).isEmpty();

      assertThat(gateway.client("POST", "/v1/chat/completions", key, body.formatted("in-eu"))
          .statusCode()).isEqualTo(200);
      assertThat(eu.received()).hasSize(1);
      assertThat(us.received()).hasSize(1);
    }
  }

  @Test
  void regionalUrlsCanBeReplacedWhileServing() {
    ProviderConfig config = new ProviderConfig("claude", "anthropic", null,
        "sk-ant-test-0123456789", List.of(), null, null, "us",
        Map.of("us", "https://us.example.com", "eu", "https://eu.example.com/"), null);
    Provider provider = ProviderRegistry.build(List.of(config)).find("claude").orElseThrow();
    Deployment inEu = Deployment.of(provider, "claude-sonnet-4", "eu", null);
    Deployment byDefault = Deployment.of(provider, "claude-sonnet-4", null, null);
    ChatRequest request = ChatRequest.builder().messages(List.of(Message.user("hi"))).build();

    assertThat(url(provider, request, inEu)).isEqualTo("https://eu.example.com/v1/messages");
    assertThat(url(provider, request, byDefault)).isEqualTo("https://us.example.com/v1/messages");

    provider.baseUrls().replaceRegionalEndpoints(
        Map.of("us", "https://us2.example.com", "eu", "https://eu2.example.com"));

    assertThat(url(provider, request, inEu)).isEqualTo("https://eu2.example.com/v1/messages");
    assertThat(provider.adapter().forwardRequest(Endpoint.MESSAGES, Buffer.buffer("{}"),
        byDefault, false).result().url()).isEqualTo("https://us2.example.com/v1/messages");
  }

  @Test
  void aRegionWithoutItsOwnUrlFallsBackToTheBaseUrlAndKeepsItsName() {
    BaseUrls urls = new BaseUrls("https://api.example.com/v1/", "us",
        Map.of("eu", "https://eu.example.com/v1"));

    assertThat(urls.resolve(null)).isEqualTo(new BaseUrls.Target("https://api.example.com/v1",
        "us"));
    assertThat(urls.resolve("eu").baseUrl()).isEqualTo("https://eu.example.com/v1");
    assertThat(urls.resolve("ap-south")).isEqualTo(
        new BaseUrls.Target("https://api.example.com/v1", "ap-south"));
  }

  private static String url(Provider provider, ChatRequest request, Deployment deployment) {
    return provider.adapter().toUpstream(request, deployment).result().url();
  }
}
