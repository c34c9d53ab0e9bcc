package dev.conduit.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every feature of the provider table through each OpenAI-compatible preset, over real HTTP to a
 * mock upstream at the preset's {@code baseUrl}: chat, streaming, tool calls (whole and streamed),
 * image parts, embeddings, and usage from streams reaching the request log. A preset whose provider
 * does not offer a feature (the table's "—") is left out of that test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiCompatiblePresetFeaturesTest {
  private static final String KEY = "preset-test-key-0123456789";
  private final Map<String, Preset> presets = new HashMap<>();

  /** One mock upstream, database and gateway per preset, shared by its tests. */
  private record Preset(
      MockUpstream mock, TestDatabases.TestDatabase db, TestGateway gateway, String key) {}

  private Preset preset(String type) throws Exception {
    Preset existing = presets.get(type);
    if (existing != null) {
      return existing;
    }
    MockUpstream mock = new MockUpstream();
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
              - name: local
                type: %s
                baseUrl: %s
                apiKey: %s
            models:
              - alias: m
                deployments: [{ provider: local, model: gpt-4o }]
              - alias: tools
                deployments: [{ provider: local, model: tool-call }]
              - alias: embed
                deployments: [{ provider: local, model: text-embedding-3-small }]
            """
                .formatted(db.url(), type, mock.baseUrl(), KEY));
    Preset created = new Preset(mock, db, gateway, gateway.newKey());
    presets.put(type, created);
    return created;
  }

  /** Every OpenAI-compatible preset except {@code openai} itself (tested on its own). */
  static Stream<String> everyPreset() {
    return Stream.of(
        "mistral",
        "groq",
        "together",
        "deepseek",
        "openrouter",
        "fireworks",
        "cerebras",
        "ollama",
        "vllm",
        "cohere");
  }

  @AfterAll
  void close() throws Exception {
    for (Preset preset : presets.values()) {
      preset.gateway().close();
      preset.mock().close();
      preset.db().close();
    }
  }

  @ParameterizedTest
  @MethodSource("everyPreset")
  void chat(String type) throws Exception {
    Preset preset = preset(type);
    HttpResponse<String> response =
        post(
            preset,
            "/v1/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = TestGateway.json(response.body());
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(MockUpstream.TEXT);
    MockUpstream.Received sent = preset.mock().lastReceived();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.body().path("model").asText()).isEqualTo("gpt-4o");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + KEY);
  }

  /** /v1/responses on a preset: translated to its Chat Completions API, whole and streamed. */
  @ParameterizedTest
  @MethodSource("everyPreset")
  void responsesAreTranslatedToChatCompletions(String type) throws Exception {
    Preset preset = preset(type);
    HttpResponse<String> response =
        post(preset, "/v1/responses", "{\"model\":\"m\",\"input\":\"hi\",\"store\":false}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = TestGateway.json(response.body());
    assertThat(body.path("object").asText()).isEqualTo("response");
    assertThat(body.path("status").asText()).isEqualTo("completed");
    assertThat(body.at("/output/0/content/0/text").asText()).isEqualTo(MockUpstream.TEXT);
    MockUpstream.Received sent = preset.mock().lastReceived();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.body().at("/messages/0/content").toString()).contains("hi");

    HttpResponse<String> streamed =
        post(
            preset,
            "/v1/responses",
            "{\"model\":\"m\",\"input\":\"hi\",\"store\":false,\"stream\":true}");
    assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
    assertThat(streamed.body())
        .contains("event: response.created")
        .contains("event: response.output_text.delta")
        .contains("event: response.completed");
    assertThat(preset.mock().lastReceived().body().path("stream").asBoolean()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("everyPreset")
  void streamingKeepsEveryPieceAndUsageReachesTheLog(String type) throws Exception {
    Preset preset = preset(type);
    HttpResponse<String> response =
        post(
            preset,
            "/v1/chat/completions",
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    StringBuilder text = new StringBuilder();
    for (String line : response.body().split("\n")) {
      if (line.startsWith("data: {")) {
        JsonNode chunk = TestGateway.json(line.substring(6));
        text.append(chunk.at("/choices/0/delta/content").asText(""));
      }
    }
    assertThat(text).hasToString(String.join("", MockUpstream.STREAM_PIECES));
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    // From the provider's usage chunk, or (Mistral, which takes no stream_options) counted.
    Map<String, Object> row =
        RequestLogs.awaitRow(
            preset.db(), response.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(RequestLogs.number(row, "input_tokens")).isPositive();
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("everyPreset")
  void toolCallsWholeAndStreamed(String type) throws Exception {
    Preset preset = preset(type);
    String request =
        "{\"model\":\"tools\",%s\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Weather in Paris?\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
            + "\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
            + "{\"type\":\"string\"}}}}}]}";

    HttpResponse<String> whole = post(preset, "/v1/chat/completions", request.formatted(""));
    assertThat(whole.statusCode()).isEqualTo(200);
    JsonNode message = TestGateway.json(whole.body()).at("/choices/0/message");
    assertThat(message.at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(message.at("/tool_calls/1/function/arguments").asText())
        .isEqualTo("{\"zone\": \"CET\"}");
    assertThat(preset.mock().lastReceived().body().at("/tools/0/function/name").asText())
        .isEqualTo("get_weather");

    HttpResponse<String> streamed =
        post(preset, "/v1/chat/completions", request.formatted("\"stream\":true,"));
    assertThat(streamed.statusCode()).isEqualTo(200);
    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
    String finish = null;
    for (String line : streamed.body().split("\n")) {
      if (line.startsWith("data: {")) {
        JsonNode choice = TestGateway.json(line.substring(6)).at("/choices/0");
        for (JsonNode call : choice.at("/delta/tool_calls")) {
          arguments[call.path("index").asInt()].append(call.at("/function/arguments").asText(""));
        }
        if (choice.hasNonNull("finish_reason")) {
          finish = choice.path("finish_reason").asText();
        }
      }
    }
    assertThat(arguments[0]).hasToString("{\"city\": \"Paris\"}");
    assertThat(arguments[1]).hasToString("{\"zone\": \"CET\"}");
    assertThat(finish).isEqualTo("tool_calls");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"mistral", "groq", "together", "openrouter", "fireworks", "ollama", "vllm"})
  void imagePartsReachTheProviderUnchanged(String type) throws Exception {
    Preset preset = preset(type);
    String image =
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            + "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    HttpResponse<String> response =
        post(
            preset,
            "/v1/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                + image
                + "\",\"detail\":\"low\"}}]}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode part = preset.mock().lastReceived().body().at("/messages/0/content/1");
    assertThat(part.path("type").asText()).isEqualTo("image_url");
    assertThat(part.at("/image_url/url").asText()).isEqualTo(image);
    assertThat(part.at("/image_url/detail").asText()).isEqualTo("low");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mistral",
        "together",
        "openrouter",
        "fireworks",
        "ollama",
        "vllm",
        "cohere",
        "jina",
        "voyage"
      })
  void embeddings(String type) throws Exception {
    Preset preset = preset(type);
    HttpResponse<String> response =
        post(preset, "/v1/embeddings", "{\"model\":\"embed\",\"input\":[\"one\",\"two\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = TestGateway.json(response.body());
    assertThat(body.path("data")).hasSize(2);
    MockUpstream.Received sent = preset.mock().lastReceived();
    assertThat(sent.path()).isEqualTo("/v1/embeddings");
    assertThat(sent.body().path("model").asText()).isEqualTo("text-embedding-3-small");
    Map<String, Object> row =
        RequestLogs.awaitRow(
            preset.db(), response.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(2);
  }

  private static HttpResponse<String> post(Preset preset, String path, String body)
      throws Exception {
    return preset.gateway().client("POST", path, preset.key(), body);
  }
}
