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
            TestGateway.start(
                config(db, mock, "mistral", "    apiKey: mistral-test-key-0123456789\n"))) {
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
        TestGateway gateway = TestGateway.start(config(db, mock, "ollama", ""))) {
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

  private static String config(
      TestDatabases.TestDatabase db, MockUpstream mock, String type, String keyLine) {
    return "server:\n  eventLoops: 1\ndatabase:\n  url: \""
        + db.url()
        + "\"\n"
        + "routing:\n  healthCheckIntervalMs: 0\n"
        + "providers:\n  - name: local\n    type: "
        + type
        + "\n    baseUrl: "
        + mock.baseUrl()
        + "\n"
        + keyLine
        + "models:\n  - alias: m\n    deployments: [{ provider: local, model: gpt-4o }]\n";
  }
}
