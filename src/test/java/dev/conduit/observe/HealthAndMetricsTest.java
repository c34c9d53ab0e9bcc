package dev.conduit.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.LogCapture;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest {

  @Test
  void readinessNamesTheMissingKeyVariableAndReportsEachCheck() throws Exception {
    try (LogCapture logs = new LogCapture();
        MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway = TestGateway.start(Yaml.withMock(mock, db.url(), null))) {
      assertThat(logs.text()).contains("CONDUIT_TEST_UNSET_KEY");

      for (String url :
          new String[] {gateway.clientUrl("/health/ready"), gateway.adminUrl("/health/ready")}) {
        HttpResponse<String> response = get(gateway, url);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode ready = TestGateway.json(response.body());
        assertThat(ready.path("status").asText()).isEqualTo("degraded");
        assertThat(ready.path("checks").path("database").path("status").asText()).isEqualTo("up");
        JsonNode providers = ready.path("checks").path("providers");
        assertThat(providers.path("mock").path("status").asText()).isEqualTo("available");
        assertThat(providers.path("unset").path("status").asText()).isEqualTo("unavailable");
        assertThat(providers.path("unset").path("reason").asText())
            .contains("CONDUIT_TEST_UNSET_KEY");
        assertThat(ready.path("checks").has("redis")).as("redis is not configured").isFalse();
      }
      HttpResponse<String> live = get(gateway, gateway.clientUrl("/health/live"));
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(TestGateway.json(live.body()).path("status").asText()).isEqualTo("healthy");
    }
  }

  @Test
  void readinessIsHealthyWhenEverythingIsUpAndChecksRedisWhenConfigured() throws Exception {
    String yaml =
        """
        server: { eventLoops: 1 }
        database: { url: "%s" }
        redis: { url: "redis://127.0.0.1:6379" }
        providers:
          - { name: sim, type: simulated }
        models:
          - alias: demo
            deployments: [ { provider: sim, model: sim-1 } ]
        """;
    try (TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway = TestGateway.start(yaml.formatted(db.url()))) {
      JsonNode ready =
          Eventually.await(
              "redis checked",
              () -> TestGateway.json(get(gateway, gateway.clientUrl("/health/ready")).body()),
              node -> node.path("checks").path("redis").path("status").asText().equals("up"));
      assertThat(ready.path("status").asText()).isEqualTo("healthy");
    }
  }

  @Test
  void metricsAreExposedOnBothListenersWithTheDocumentedNames() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway = TestGateway.start(Yaml.withMock(mock, db.url(), null))) {
      String key = gateway.newKey();
      gateway
          .openAi(key)
          .chat()
          .completions()
          .create(
              ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi").build());
      gateway.client(
          "POST", "/v1/chat/completions", key, "{\"model\":\"fail-503\"," + "\"messages\":[]}");

      for (String url :
          new String[] {gateway.clientUrl("/metrics"), gateway.adminUrl("/metrics")}) {
        HttpResponse<String> response = get(gateway, url);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
            .startsWith("text/plain");
        String metrics = response.body();
        assertThat(metrics)
            .contains(
                "conduit_llm_requests_total{model=\"gpt-4o\",provider=\"mock\","
                    + "status=\"success\"} 1")
            .contains(
                "conduit_llm_requests_total{model=\"fail-503\",provider=\"mock\","
                    + "status=\"error\"} 1")
            .contains("conduit_llm_request_duration_seconds_bucket")
            .contains("conduit_llm_active_requests")
            .contains(
                "conduit_llm_tokens_total{model=\"gpt-4o\",provider=\"mock\","
                    + "type=\"input\"} 12")
            .contains(
                "conduit_llm_tokens_total{model=\"gpt-4o\",provider=\"mock\","
                    + "type=\"output\"} 3")
            .contains("conduit_provider_response_time_seconds_bucket{provider=\"mock\"")
            .contains("conduit_provider_health{provider=\"mock\"} 1")
            .contains("conduit_provider_health{provider=\"unset\"} 0")
            .contains("conduit_cache_hits_total{model=\"gpt-4o\",tier=\"memory\"} 0")
            .contains("conduit_cache_misses_total{model=\"gpt-4o\",tier=\"memory\"} 0")
            .contains("jvm_gc_")
            .contains("jvm_memory_used_bytes")
            .contains("hikaricp_connections")
            .contains("conduit_request_log_dropped_total");
      }
    }
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway =
            TestGateway.start(Yaml.withMock(mock, db.url(), "  maxBodyBytes: 2048\n"))) {
      String key = gateway.newKey();
      ChatCompletionCreateParams huge =
          ChatCompletionCreateParams.builder()
              .model("gpt-4o")
              .addUserMessage("x".repeat(5000))
              .build();
      try {
        gateway.openAi(key).chat().completions().create(huge);
        throw new AssertionError("expected 413");
      } catch (com.openai.errors.OpenAIServiceException e) {
        assertThat(e.statusCode()).isEqualTo(413);
        assertThat(e.code()).hasValue("request_too_large");
      }
      HttpResponse<String> small =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              key,
              "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(small.statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(TestGateway gateway, String url) throws Exception {
    return gateway.send(HttpRequest.newBuilder(URI.create(url)), "GET", null);
  }
}
