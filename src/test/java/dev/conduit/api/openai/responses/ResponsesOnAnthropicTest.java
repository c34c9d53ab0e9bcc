package dev.conduit.api.openai.responses;

import static dev.conduit.api.openai.responses.ResponsesSdk.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStreamEvent;
import dev.conduit.testing.AnthropicMockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAI SDK's Responses API on an Anthropic deployment: requests translated to the Messages
 * API, answers and streams translated back into Responses objects and events, over real HTTP on
 * both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDK's raw responses are read whole by parse().
@SuppressWarnings("MustBeClosedChecker")
class ResponsesOnAnthropicTest {
  private AnthropicMockUpstream anthropic;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private OpenAIClient client;

  @BeforeAll
  void start() throws Exception {
    anthropic = new AnthropicMockUpstream();
    db = TestDatabases.sqlite();
    gateway =
        TestGateway.start(
            """
            server:
              eventLoops: 2
            database:
              url: "%s"
            requestLog:
              batchSize: 50
            routing:
              healthCheckIntervalMs: 0
            providers:
              - name: claude
                type: anthropic
                baseUrl: %s
                apiKey: sk-ant-test-upstream-secret-0123
                defaultMaxTokens: 1000
            models:
              - alias: claude
                deployments: [{ provider: claude, model: claude-sonnet-4 }]
              - alias: claude-tools
                deployments: [{ provider: claude, model: tool-call }]
            """
                .formatted(db.url(), anthropic.baseUrl()));
    client = gateway.openAi(gateway.newKey());
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    anthropic.close();
    db.close();
  }

  @Test
  void textIsTranslatedBothWaysAndLogged() throws Exception {
    HttpResponseFor<Response> raw =
        client
            .responses()
            .withRawResponse()
            .create(
                ask("claude", "Say hello")
                    .instructions("Be brief.")
                    .maxOutputTokens(200L)
                    .temperature(0.5)
                    .build());
    Response response = raw.parse();

    assertThat(ResponsesSdk.text(response)).isEqualTo(AnthropicMockUpstream.TEXT);
    assertThat(response.id()).startsWith("resp_");
    assertThat(response.status().orElseThrow().asString()).isEqualTo("completed");
    assertThat(response.instructions()).isPresent();
    JsonNode sent = anthropic.lastReceived().body();
    assertThat(anthropic.lastReceived().path()).isEqualTo("/v1/messages");
    assertThat(sent.get("model").asText()).isEqualTo("claude-sonnet-4");
    assertThat(sent.get("system").toString()).contains("Be brief.");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(200);
    assertThat(sent.get("messages").get(0).get("content").toString()).contains("Say hello");
    // Anthropic counts 10 input, 2 cache-write and 5 cache-read tokens apart; OpenAI adds them up.
    assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(17);
    assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(5);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(3);
    Map<String, Object> row = RequestLogs.awaitRow(db, raw.headers().values("X-Request-ID").get(0));
    assertThat(row.get("endpoint")).isEqualTo("responses");
    assertThat(row.get("provider")).isEqualTo("claude");
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
  }

  @Test
  void aStreamIsTranslatedIntoResponsesEvents() throws Exception {
    HttpResponseFor<StreamResponse<ResponseStreamEvent>> raw =
        client.responses().withRawResponse().createStreaming(ask("claude", "Say hello").build());
    List<ResponseStreamEvent> events = ResponsesSdk.events(raw.parse());

    assertThat(ResponsesSdk.streamedText(events)).isEqualTo(AnthropicMockUpstream.TEXT);
    assertThat(ResponsesSdk.types(events))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    Response completed = ResponsesSdk.completed(events);
    assertThat(ResponsesSdk.text(completed)).isEqualTo(AnthropicMockUpstream.TEXT);
    assertThat(completed.usage().orElseThrow().outputTokens()).isEqualTo(3);
    assertThat(anthropic.lastReceived().body().get("stream").asBoolean()).isTrue();
    Map<String, Object> row = RequestLogs.awaitRow(db, raw.headers().values("X-Request-ID").get(0));
    assertThat(row.get("endpoint")).isEqualTo("responses");
    assertThat(RequestLogs.number(row, "stream")).isEqualTo(1);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
  }

  @Test
  void aFunctionCallRoundTripsAsFunctionCallThenFunctionCallOutputItems() {
    Response first =
        client
            .responses()
            .create(
                ask("claude-tools", "Weather in Paris?")
                    .addTool(ResponsesSdk.weatherTool())
                    .build());
    List<ResponseFunctionToolCall> calls = ResponsesSdk.calls(first);
    assertThat(calls)
        .extracting(ResponseFunctionToolCall::name)
        .containsExactly("get_weather", "get_time");
    assertThat(calls.get(0).callId()).isEqualTo("toolu_mock1");
    assertThat(calls.get(0).arguments()).contains("Paris");
    JsonNode tool = anthropic.lastReceived().body().get("tools").get(0);
    assertThat(tool.get("name").asText()).isEqualTo("get_weather");
    assertThat(tool.get("input_schema").get("properties").has("city")).isTrue();

    client
        .responses()
        .create(ResponsesSdk.toolResult("claude", calls.get(0), "{\"temperature\": 21}"));

    JsonNode messages = anthropic.lastReceived().body().get("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
    JsonNode toolUse = messages.get(1).get("content").get(0);
    assertThat(toolUse.get("type").asText()).isEqualTo("tool_use");
    assertThat(toolUse.get("id").asText()).isEqualTo("toolu_mock1");
    assertThat(toolUse.get("input").get("city").asText()).isEqualTo("Paris");
    JsonNode result = messages.get(2).get("content").get(0);
    assertThat(result.get("type").asText()).isEqualTo("tool_result");
    assertThat(result.get("tool_use_id").asText()).isEqualTo("toolu_mock1");
    assertThat(result.toString()).contains("temperature");
  }

  @Test
  void streamedToolCallArgumentsArriveAsFunctionCallArgumentDeltas() {
    List<ResponseStreamEvent> events =
        ResponsesSdk.events(
            client
                .responses()
                .createStreaming(
                    ask("claude-tools", "Weather in Paris?")
                        .addTool(ResponsesSdk.weatherTool())
                        .build()));

    assertThat(ResponsesSdk.streamedArguments(events))
        .isEqualTo("{\"city\": \"Paris\"}{\"zone\": \"CET\"}");
    Response completed = ResponsesSdk.completed(events);
    assertThat(ResponsesSdk.calls(completed))
        .extracting(ResponseFunctionToolCall::arguments)
        .containsExactly("{\"city\": \"Paris\"}", "{\"zone\": \"CET\"}");
    assertThat(ResponsesSdk.types(events)).contains("response.function_call_arguments.done");
  }

  @Test
  void aJsonSchemaFormatIsRefusedAsAnthropicHasNoJsonMode() {
    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(ask("claude", "A city?").text(ResponsesSdk.cityFormat()).build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("JSON response formats");
  }

  @Test
  void aBuiltInToolIsRefusedNamingIt() throws Exception {
    var refused =
        gateway.client(
            "POST",
            "/v1/responses",
            gateway.newKey(),
            "{\"model\":\"claude\",\"input\":\"hi\",\"tools\":[{\"type\":\"file_search\","
                + "\"vector_store_ids\":[\"vs_1\"]}]}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(refused.body()).get("error").get("message").asText())
        .contains("'file_search'");
  }
}
