package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageContentParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.AnthropicMockUpstream;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The official Anthropic Java SDK calling the gateway's {@code POST /v1/messages}: passed through
 * to an Anthropic upstream, and translated to an OpenAI-format upstream, over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDKs' raw responses are read whole by parse(); streamed ones are closed where parsed.
@SuppressWarnings("MustBeClosedChecker")
class AnthropicMessagesApiTest {
  private AnthropicMockUpstream anthropic;
  private MockUpstream openai;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private String key;
  private AnthropicClient client;

  @BeforeAll
  void start() throws Exception {
    anthropic = new AnthropicMockUpstream();
    openai = new MockUpstream();
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
          - name: gpt
            type: openai
            baseUrl: %s
            apiKey: sk-test-upstream-secret-0123456789
          - name: sim
            type: simulated
          - name: unset
            type: anthropic
            apiKey: ${CONDUIT_TEST_UNSET_KEY}
        models:
          - alias: unconfigured
            deployments: [{ provider: unset, model: claude-sonnet-4 }]
          - alias: demo
            deployments: [{ provider: sim, model: conduit-sim-1 }]
          - alias: claude
            deployments: [{ provider: claude, model: claude-sonnet-4 }]
          - alias: claude-tools
            deployments: [{ provider: claude, model: tool-call }]
          - alias: claude-fail-400
            deployments: [{ provider: claude, model: fail-400 }]
          - alias: claude-overloaded
            deployments: [{ provider: claude, model: overloaded }]
          - alias: gpt
            deployments: [{ provider: gpt, model: gpt-4o }]
          - alias: gpt-tools
            deployments: [{ provider: gpt, model: tool-call }]
          - alias: gpt-fail-400
            deployments: [{ provider: gpt, model: fail-400 }]
          - alias: gpt-invalid-json
            deployments: [{ provider: gpt, model: invalid-json }]
          - alias: gpt-cut-stream
            deployments: [{ provider: gpt, model: cut-stream }]
          - alias: gpt-gated
            deployments: [{ provider: gpt, model: gated }]
          - alias: gpt-no-usage
            deployments: [{ provider: gpt, model: no-usage }]
        """
                .formatted(db.url(), anthropic.baseUrl(), openai.baseUrl()));
    key = gateway.newKey();
    client = gateway.anthropic(key);
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    anthropic.close();
    openai.close();
    db.close();
  }

  private static MessageCreateParams message(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(100)
        .system("Be brief.")
        .addUserMessage("Say hello")
        .build();
  }

  private static MessageCreateParams withTools(String model) {
    return message(model).toBuilder()
        .addTool(
            Tool.builder()
                .name("get_weather")
                .description("Weather now")
                .inputSchema(
                    Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build())
        .build();
  }

  private static String text(Message message) {
    StringBuilder text = new StringBuilder();
    message.content().stream()
        .filter(ContentBlock::isText)
        .forEach(block -> text.append(block.asText().text()));
    return text.toString();
  }

  private Message streamed(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.message();
  }

  // --- Anthropic upstream: pass-through ---

  @Test
  void anAnthropicDeploymentIsPassedThroughWithTheModelRewritten() throws Exception {
    HttpResponseFor<Message> response =
        client.messages().withRawResponse().create(message("claude"));
    Message message = response.parse();

    assertThat(text(message)).isEqualTo(AnthropicMockUpstream.TEXT);
    assertThat(message.usage().inputTokens()).isEqualTo(10);
    assertThat(message.usage().cacheReadInputTokens()).hasValue(5L);
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(response.headers().values("X-Provider-Used"))
        .containsExactly("claude/claude-sonnet-4");

    JsonNode sent = anthropic.lastReceived().body();
    assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4");
    assertThat(sent.path("system").asText()).isEqualTo("Be brief.");
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(100);
    assertThat(anthropic.lastReceived().headers().get("x-api-key"))
        .isEqualTo("sk-ant-test-upstream-secret-0123");

    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().values("X-Request-ID").get(0));
    assertThat(row.get("endpoint")).isEqualTo("messages");
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
  }

  @Test
  void anAnthropicStreamIsPassedThroughAndItsUsageRecorded() throws Exception {
    Message message = streamed(message("claude"));
    assertThat(text(message)).isEqualTo(AnthropicMockUpstream.TEXT);
    assertThat(message.usage().outputTokens()).isEqualTo(3);

    HttpResponse<String> raw =
        raw(
            key,
            "{\"model\":\"claude\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(raw.body())
        .contains("event: ping")
        .endsWith("data: {\"type\":\"message_stop\"}\n\n");
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
  }

  @Test
  void passedThroughToolCallsStreamWhole() {
    Message message = streamed(withTools("claude-tools"));
    List<ToolUseBlock> calls =
        message.content().stream()
            .filter(ContentBlock::isToolUse)
            .map(ContentBlock::asToolUse)
            .toList();
    assertThat(calls).extracting(ToolUseBlock::name).containsExactly("get_weather", "get_time");
    assertThat(calls.get(0)._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
  }

  @Test
  void anthropicErrorsPassThroughInAnthropicsShape() {
    assertThatThrownBy(() -> client.messages().create(message("claude-fail-400")))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("mock 400"));
    assertThatThrownBy(() -> client.messages().create(message("claude-overloaded")))
        .isInstanceOfSatisfying(
            AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(529));
  }

  // --- OpenAI-format upstream: translation ---

  @Test
  void anOpenAiDeploymentAnswersInAnthropicsShape() throws Exception {
    Message message = client.messages().create(message("gpt"));

    assertThat(text(message)).isEqualTo(MockUpstream.TEXT);
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).as("12 prompt tokens, 5 of them cached").isEqualTo(7);
    assertThat(message.usage().cacheReadInputTokens()).hasValue(5L);
    assertThat(message.usage().outputTokens()).isEqualTo(3);

    JsonNode sent = openai.lastReceived().body();
    assertThat(openai.lastReceived().path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
    assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(100);
  }

  @Test
  void anOpenAiStreamBecomesAnAnthropicStream() throws Exception {
    Message message = streamed(message("gpt"));
    assertThat(text(message)).isEqualTo(MockUpstream.TEXT);
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(3);

    HttpResponse<String> raw =
        raw(
            key,
            "{\"model\":\"gpt\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(raw.body())
        .startsWith("event: message_start\n")
        .contains("event: content_block_delta")
        .endsWith("event: message_stop\n" + "data: {\"type\":\"message_stop\"}\n\n");
    assertThat(
            openai.lastReceived().body().path("stream_options").path("include_usage").asBoolean())
        .isTrue();
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(12);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
  }

  @Test
  void openAiToolCallsBecomeToolUseBlocks() {
    Message whole = client.messages().create(withTools("gpt-tools"));
    assertThat(whole.stopReason()).hasValue(StopReason.TOOL_USE);
    List<ToolUseBlock> calls =
        whole.content().stream()
            .filter(ContentBlock::isToolUse)
            .map(ContentBlock::asToolUse)
            .toList();
    assertThat(calls).extracting(ToolUseBlock::id).containsExactly("call_mock1", "call_mock2");
    assertThat(calls.get(0)._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));

    Message streamed = streamed(withTools("gpt-tools"));
    assertThat(streamed.stopReason()).hasValue(StopReason.TOOL_USE);
    List<ToolUseBlock> streamedCalls =
        streamed.content().stream()
            .filter(ContentBlock::isToolUse)
            .map(ContentBlock::asToolUse)
            .toList();
    assertThat(streamedCalls)
        .extracting(ToolUseBlock::name)
        .containsExactly("get_weather", "get_time");
    assertThat(streamedCalls.get(1)._input().convert(Map.class)).isEqualTo(Map.of("zone", "CET"));

    JsonNode tools = openai.lastReceived().body().path("tools");
    assertThat(tools.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
  }

  @Test
  void toolResultsReachAnOpenAiUpstreamAsToolMessages() {
    MessageCreateParams params =
        withTools("gpt").toBuilder()
            .addAssistantMessage(
                MessageContentParam.ofContentBlockParams(
                    List.of(
                        ContentBlockParam.ofToolUse(
                            ToolUseBlockParam.builder()
                                .id("toolu_x")
                                .name("get_weather")
                                .input(JsonValue.from(Map.of("city", "Oslo")))
                                .build()))))
            .addUserMessage(
                MessageContentParam.ofContentBlockParams(
                    List.of(
                        ContentBlockParam.ofToolResult(
                            ToolResultBlockParam.builder()
                                .toolUseId("toolu_x")
                                .content("3C")
                                .build()))))
            .build();
    client.messages().create(params);

    JsonNode messages = openai.lastReceived().body().path("messages");
    JsonNode assistant = messages.get(2);
    assertThat(assistant.path("role").asText()).isEqualTo("assistant");
    assertThat(assistant.path("tool_calls").get(0).path("id").asText()).isEqualTo("toolu_x");
    assertThat(assistant.path("tool_calls").get(0).path("function").path("arguments").asText())
        .isEqualTo("{\"city\":\"Oslo\"}");
    JsonNode tool = messages.get(3);
    assertThat(tool.path("role").asText()).isEqualTo("tool");
    assertThat(tool.path("tool_call_id").asText()).isEqualTo("toolu_x");
    assertThat(tool.path("content").asText()).isEqualTo("3C");
  }

  @Test
  void openAiUpstreamErrorsAnswerInAnthropicsShape() throws Exception {
    assertThatThrownBy(() -> client.messages().create(message("gpt-fail-400")))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("mock 400"));
    assertThatThrownBy(() -> client.messages().create(message("gpt-invalid-json")))
        .isInstanceOfSatisfying(
            InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(502));

    HttpResponse<String> raw =
        raw(
            key,
            "{\"model\":\"gpt-invalid-json\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    JsonNode body = TestGateway.json(raw.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("api_error");
    assertThat(body.path("error").path("message").asText()).contains("not valid JSON");
    assertThat(RequestLogs.awaitRow(db, requestId(raw)).get("error_type"))
        .isEqualTo("upstream_invalid_response");
  }

  @Test
  void aCutStreamEndsWithAnAnthropicErrorEvent() throws Exception {
    HttpResponse<String> raw =
        raw(
            key,
            "{\"model\":\"gpt-cut-stream\",\"max_tokens\":5,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.body())
        .contains("\"text\":\"Hello\"")
        .contains("event: error\n")
        .contains("\"type\":\"api_error\"")
        .doesNotContain("message_stop");
    assertThat(RequestLogs.awaitRow(db, requestId(raw)).get("error_type"))
        .isEqualTo("upstream_invalid_response");
    assertThatThrownBy(() -> streamed(message("gpt-cut-stream")))
        .hasMessageContaining("sent an invalid response");
  }

  @Test
  void usageIsCountedWhenTheUpstreamReportsNone() throws Exception {
    HttpResponse<String> raw =
        raw(
            key,
            "{\"model\":\"gpt-no-usage\",\"max_tokens\":5,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Count these words\"}]}");

    assertThat(raw.statusCode()).isEqualTo(200);
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    assertThat(RequestLogs.number(row, "input_tokens")).as("counted prompt").isPositive();
    assertThat(RequestLogs.number(row, "output_tokens")).as("'Hello from mock'").isEqualTo(3);
  }

  @Test
  void anAbandonedTranslatedStreamRecordsTheTokensSoFar() throws Exception {
    HttpResponseFor<StreamResponse<RawMessageStreamEvent>> response =
        client.messages().withRawResponse().createStreaming(message("gpt-gated"));
    StreamResponse<RawMessageStreamEvent> stream = response.parse();
    Iterator<RawMessageStreamEvent> events = stream.stream().iterator();
    while (!events.next().isContentBlockDelta()) {
      // message_start, content_block_start
    }
    stream.close();
    openai.connectionClosed("gated").get(30, TimeUnit.SECONDS);

    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().values("X-Request-ID").get(0));
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(499);
    assertThat(RequestLogs.number(row, "input_tokens")).as("counted prompt").isPositive();
    assertThat(RequestLogs.number(row, "output_tokens")).as("'Hello' so far").isEqualTo(1);
    openai.openGate();
  }

  @Test
  void theSimulatedDemoModelAnswersAnthropicCallersToo() {
    assertThat(text(client.messages().create(message("demo"))))
        .contains("simulated model 'conduit-sim-1'");
    Message streamed = streamed(message("demo"));
    assertThat(text(streamed)).contains("You said: \"Say hello\"");
    assertThat(streamed.usage().outputTokens()).isPositive();
  }

  @Test
  void theSimulatedProviderAnswersEmbeddingsDeterministically() throws Exception {
    String request = "{\"model\":\"demo\",\"input\":[\"one\",\"two words\"]}";
    HttpResponse<String> first = gateway.client("POST", "/v1/embeddings", key, request);
    HttpResponse<String> again = gateway.client("POST", "/v1/embeddings", key, request);

    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode body = TestGateway.json(first.body());
    assertThat(body.path("data")).hasSize(2);
    assertThat(body.at("/data/0/embedding").size()).isPositive();
    assertThat(body.at("/data/0/embedding")).isNotEqualTo(body.at("/data/1/embedding"));
    assertThat(TestGateway.json(again.body()).path("data")).isEqualTo(body.path("data"));
    assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(3);
  }

  // --- the endpoint itself ---

  @Test
  void theKeyMayComeAsBearerAndErrorsUseAnthropicsShape() throws Exception {
    assertThat(text(gateway.anthropicWithBearer(key).messages().create(message("claude"))))
        .isEqualTo(AnthropicMockUpstream.TEXT);

    assertThatThrownBy(
            () ->
                gateway
                    .anthropic("condt_notarealkeynotarealkeynotarealkey12345")
                    .messages()
                    .create(message("claude")))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> client.messages().create(message("no-such-model")))
        .isInstanceOf(NotFoundException.class);

    HttpResponse<String> missingKey =
        gateway.send(
            HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/messages"))),
            "POST",
            "{\"model\":\"claude\",\"max_tokens\":5,\"messages\":[]}");
    assertThat(missingKey.statusCode()).isEqualTo(401);
    JsonNode error = TestGateway.json(missingKey.body());
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("error").path("type").asText()).isEqualTo("authentication_error");

    HttpResponse<String> noMaxTokens = raw(key, "{\"model\":\"claude\",\"messages\":[]}");
    assertThat(noMaxTokens.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(noMaxTokens.body()).path("error").path("type").asText())
        .isEqualTo("invalid_request_error");

    HttpResponse<String> unavailable =
        raw(
            key,
            "{\"model\":\"unconfigured\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(TestGateway.json(unavailable.body()).path("error").path("type").asText())
        .isEqualTo("api_error");
    assertThat(TestGateway.json(unavailable.body()).path("error").path("message").asText())
        .contains("CONDUIT_TEST_UNSET_KEY");

    HttpResponse<String> wrongMethod = gateway.client("GET", "/v1/messages", key, null);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(TestGateway.json(wrongMethod.body()).path("type").asText()).isEqualTo("error");
  }

  private HttpResponse<String> raw(String key, String body) throws Exception {
    return gateway.send(
        HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/messages")))
            .header("x-api-key", key)
            .header("anthropic-version", "2023-06-01"),
        "POST",
        body);
  }

  private static String requestId(HttpResponse<String> response) {
    return response.headers().firstValue("X-Request-ID").orElseThrow();
  }
}
