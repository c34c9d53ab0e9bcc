package dev.conduit.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderType;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible presets: their defaults, and the quirks that set them apart. */
class OpenAiPresetsTest {

  @Test
  void everyPresetIsAProviderTypeWithItsPublicBaseUrl() {
    Map<String, ProviderType> types = ProviderRegistry.types();
    Map<String, String> expected =
        Map.of(
            "openai", "https://api.openai.com/v1",
            "mistral", "https://api.mistral.ai/v1",
            "groq", "https://api.groq.com/openai/v1",
            "together", "https://api.together.xyz/v1",
            "deepseek", "https://api.deepseek.com",
            "openrouter", "https://openrouter.ai/api/v1",
            "fireworks", "https://api.fireworks.ai/inference/v1",
            "cerebras", "https://api.cerebras.ai/v1",
            "ollama", "http://localhost:11434/v1",
            "vllm", "http://localhost:8000/v1");
    expected.forEach(
        (name, url) -> {
          assertThat(types).containsKey(name);
          assertThat(types.get(name).defaultBaseUrl()).as(name).isEqualTo(url);
        });
    assertThat(types.get("ollama").requiresApiKey()).isFalse();
    assertThat(types.get("vllm").requiresApiKey()).isFalse();
    assertThat(types.get("mistral").requiresApiKey()).isTrue();
    assertThat(types).containsKeys("azure", "anthropic", "simulated");
  }

  @Test
  void mistralGetsNoStreamOptionsAndUsageIsStillRecorded() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway =
            TestGateway.start(config(db, mock, "mistral", "mistral-test-key-0123456789"))) {
      HttpResponse<String> response =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              gateway.newKey(),
              "{\"stream_options\":{\"include_usage\":true},\"model\":\"m\","
                  + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).endsWith("data: [DONE]\n\n");
      MockUpstream.Received sent = mock.lastReceived();
      assertThat(sent.body().has("stream_options")).as("Mistral answers 422 to it").isFalse();
      assertThat(sent.body().path("model").asText()).isEqualTo("gpt-4o");
      assertThat(sent.headers().get("authorization"))
          .isEqualTo("Bearer mistral-test-key-0123456789");
      // The mock reports no usage without the option: the gateway counts it.
      Map<String, Object> row =
          RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
      assertThat(RequestLogs.number(row, "input_tokens")).isPositive();
      assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
    }
  }

  @Test
  void ollamaNeedsNoKey() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway = TestGateway.start(config(db, mock, "ollama", null))) {
      HttpResponse<String> response =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              gateway.newKey(),
              "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(mock.lastReceived().headers()).doesNotContainKey("authorization");
    }
  }

  /** One provider of {@code type} on the mock, with the given API key (null for none). */
  private static String config(
      TestDatabases.TestDatabase db, MockUpstream mock, String type, String apiKey) {
    // The "%4$s\" line holds the key's line, or nothing: the backslash joins it to the next.
    return """
        server:
          eventLoops: 1
        database:
          url: "%1$s"
        routing:
          healthCheckIntervalMs: 0
        providers:
          - name: local
            type: %2$s
            baseUrl: %3$s
        %4$s\
        models:
          - alias: m
            deployments: [{ provider: local, model: gpt-4o }]
        """
        .formatted(
            db.url(), type, mock.baseUrl(), apiKey == null ? "" : "    apiKey: " + apiKey + "\n");
  }
}
