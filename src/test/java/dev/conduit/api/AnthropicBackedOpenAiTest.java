package dev.conduit.api;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.conduit.testing.AnthropicMockUpstream;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
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
 * The OpenAI Java SDK calling aliases served by Anthropic: the gateway translates OpenAI's Chat
 * Completions to Anthropic's Messages API and back, over real HTTP on both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDKs' raw responses are read whole by parse(); streamed ones are closed where parsed.
@SuppressWarnings("MustBeClosedChecker")
class AnthropicBackedOpenAiTest {
  private static final String ANTHROPIC_KEY = "sk-ant-test-upstream-secret-0123";
  private static final List<String> BEHAVIOURS =
      List.of(
          "tool-call",
          "fail-400",
          "fail-401",
          "overloaded",
          "html-error",
          "invalid-json",
          "cut-stream",
          "no-stop",
          "error-stream",
          "unknown-event",
          "gated");

  private AnthropicMockUpstream anthropic;
  private MockUpstream openai;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private OpenAIClient client;

  @BeforeAll
  void start() throws Exception {
    anthropic = new AnthropicMockUpstream();
    openai = new MockUpstream();
    db = TestDatabases.sqlite();
    String yaml =
        """
        server:
          eventLoops: 2
        database:
          url: "%1$s"
        requestLog:
          batchSize: 50
        routing:
          healthCheckIntervalMs: 0
        providers:
          - name: claude
            type: anthropic
            baseUrl: %2$s
            apiKey: %3$s
            defaultMaxTokens: 1000
          # A provider of its own for fail-401: a key the provider rejects leaves the rotation.
          - name: claude-auth
            type: anthropic
            baseUrl: %2$s
            apiKey: %3$s
          - name: backup
            type: openai
            baseUrl: %4$s
            apiKey: sk-test-backup-secret-0123456789
        models:
          - alias: claude
            deployments:
              - { provider: claude, model: claude-sonnet-4 }
          - alias: overloaded-then-backup
            deployments:
              - { provider: claude, model: overloaded }
              - { provider: backup, model: gpt-4o }
          - alias: error-first-then-backup
            deployments:
              - { provider: claude, model: error-first }
              - { provider: backup, model: gpt-4o }
        """
            .formatted(db.url(), anthropic.baseUrl(), ANTHROPIC_KEY, openai.baseUrl());
    String behaviours =
        BEHAVIOURS.stream()
            .map(b -> Yaml.alias(b, b.equals("fail-401") ? "claude-auth" : "claude", b))
            .collect(joining());
    gateway = TestGateway.start(yaml + behaviours);
    client = gateway.openAi(gateway.newKey());
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    anthropic.close();
    openai.close();
    db.close();
  }

  private static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("Be brief.")
        .addUserMessage("Say hello")
        .build();
  }

  private static ChatCompletionCreateParams withTools(String model) {
    FunctionParameters city =
        FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty(
                "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .build();
    return chat(model).toBuilder()
        .addTool(
            ChatCompletionFunctionTool.builder()
                .function(
                    FunctionDefinition.builder()
                        .name("get_weather")
                        .description("Weather now")
                        .parameters(city)
                        .build())
                .build())
        .addTool(
            ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("get_time").build())
                .build())
        .build();
  }

  @Test
  void aChatCompletionIsAnsweredByAnthropic() throws Exception {
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat("claude"));
    ChatCompletion completion = response.parse();

    assertThat(completion.choices().get(0).message().content())
        .hasValue(AnthropicMockUpstream.TEXT);
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(17);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
    assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens())
        .hasValue(5L);
    assertThat(response.headers().values("X-Provider-Used"))
        .containsExactly("claude/claude-sonnet-4");

    MockUpstream.Received upstream = anthropic.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v1/messages");
    assertThat(upstream.headers().get("x-api-key")).isEqualTo(ANTHROPIC_KEY);
    assertThat(upstream.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(upstream.headers()).doesNotContainKey("authorization");
    assertThat(upstream.body().path("model").asText()).isEqualTo("claude-sonnet-4");
    assertThat(upstream.body().path("system").asText()).isEqualTo("Be brief.");
    assertThat(upstream.body().path("max_tokens").asInt()).as("defaultMaxTokens").isEqualTo(1000);
    assertThat(upstream.body().path("messages")).hasSize(1);

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response.headers()));
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
  }

  @Test
  void aStreamIsTranslatedChunkByChunkWithUsageWhenAskedFor() {
    ChatCompletionCreateParams params =
        chat("claude").toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      chunks = stream.stream().peek(accumulator::accumulate).toList();
    }
    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.choices().get(0).message().content())
        .hasValue(AnthropicMockUpstream.TEXT);
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(
            chunks.stream()
                .filter(
                    chunk ->
                        chunk.choices().stream()
                            .anyMatch(choice -> choice.finishReason().isPresent())))
        .hasSize(1);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(17);
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(3);
    assertThat(anthropic.lastReceived().body().path("stream").asBoolean()).isTrue();
  }

  @Test
  void streamUsageIsRecordedButNotShownWhenNotAskedFor() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            newKey(),
            "{\"model\":\"claude\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("prompt_tokens").endsWith("data: [DONE]\n\n");
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response));
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
  }

  @Test
  void toolCallsComeBackAsOpenAiToolCalls() {
    ChatCompletion completion = client.chat().completions().create(withTools("tool-call"));

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().content()).hasValue("Let me check.");
    List<ChatCompletionMessageFunctionToolCall> calls =
        choice.message().toolCalls().orElseThrow().stream().map(call -> call.asFunction()).toList();
    assertThat(calls)
        .extracting(ChatCompletionMessageFunctionToolCall::id)
        .containsExactly("toolu_mock1", "toolu_mock2");
    assertThat(calls.get(0).function().name()).isEqualTo("get_weather");
    assertThat(calls.get(0).function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(calls.get(1).function().arguments()).isEqualTo("{\"zone\":\"CET\"}");

    JsonNode tools = anthropic.lastReceived().body().path("tools");
    assertThat(tools.get(0).path("name").asText()).isEqualTo("get_weather");
    assertThat(tools.get(0).path("input_schema").path("properties").has("city")).isTrue();
    assertThat(tools.get(1).path("input_schema").path("type").asText()).isEqualTo("object");
  }

  @Test
  void streamedToolCallsArriveIndexedAndWhole() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(withTools("tool-call"))) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion.Choice choice = accumulator.chatCompletion().choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    List<ChatCompletionMessageFunctionToolCall> calls =
        choice.message().toolCalls().orElseThrow().stream().map(call -> call.asFunction()).toList();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).id()).isEqualTo("toolu_mock1");
    assertThat(calls.get(0).function().name()).isEqualTo("get_weather");
    assertThat(calls.get(0).function().arguments()).isEqualTo("{\"city\": \"Paris\"}");
    assertThat(calls.get(1).id()).isEqualTo("toolu_mock2");
    assertThat(calls.get(1).function().arguments()).isEqualTo("{\"zone\": \"CET\"}");
  }

  @Test
  void aConversationWithToolResultsAndImagesIsTranslated() throws Exception {
    String body =
        """
        {"model":"claude","max_tokens":64,"stop":"END","messages":[
          {"role":"system","content":"Use tools."},
          {"role":"user","content":[{"type":"text","text":"Weather where this is?"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"toolu_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"toolu_b","type":"function","function":{"name":"get_time","arguments":""}}]},
          {"role":"tool","tool_call_id":"toolu_a","content":"18C"},
          {"role":"tool","tool_call_id":"toolu_b","content":"14:00"},
          {"role":"user","content":"Thanks"}]}""";
    HttpResponse<String> response = gateway.client("POST", "/v1/chat/completions", newKey(), body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode sent = anthropic.lastReceived().body();
    assertThat(sent.path("system").asText()).isEqualTo("Use tools.");
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(sent.path("stop_sequences").get(0).asText()).isEqualTo("END");
    JsonNode messages = sent.path("messages");
    assertThat(messages).hasSize(3);
    JsonNode image = messages.get(0).path("content").get(1);
    assertThat(image.path("source").path("type").asText()).isEqualTo("base64");
    assertThat(image.path("source").path("media_type").asText()).isEqualTo("image/png");
    assertThat(image.path("source").path("data").asText()).isEqualTo("iVBORw0KGgo=");
    JsonNode toolUse = messages.get(1).path("content");
    assertThat(toolUse.get(0).path("type").asText()).isEqualTo("tool_use");
    assertThat(toolUse.get(0).path("input").path("city").asText()).isEqualTo("Paris");
    assertThat(toolUse.get(1).path("input").isObject()).isTrue();
    JsonNode results = messages.get(2).path("content");
    assertThat(results.get(0).path("type").asText()).isEqualTo("tool_result");
    assertThat(results.get(0).path("tool_use_id").asText()).isEqualTo("toolu_a");
    assertThat(results.get(1).path("tool_use_id").asText()).isEqualTo("toolu_b");
    assertThat(results.get(2).path("text").asText()).isEqualTo("Thanks");
  }

  @Test
  void whatAnthropicCannotExpressIsA400NamingTheField() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            newKey(),
            "{\"model\":\"claude\",\"n\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = TestGateway.json(response.body()).path("error");
    assertThat(error.path("param").asText()).isEqualTo("n");
    assertThat(error.path("message").asText()).contains("'claude'");
  }

  @Test
  void embeddingsAreRefusedForAProviderThatHasNone() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST", "/v1/embeddings", newKey(), "{\"model\":\"claude\",\"input\":\"hello\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(response.body()).path("error").path("code").asText())
        .isEqualTo("unsupported_provider");
  }

  @Test
  void anthropicErrorsKeepTheirMeaning() {
    assertThatThrownBy(() -> client.chat().completions().create(chat("fail-400")))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("mock 400"));
    assertThatThrownBy(() -> client.chat().completions().create(chat("overloaded")))
        .isInstanceOfSatisfying(
            OpenAIServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(529);
              assertThat(e.code()).hasValue("overloaded_error");
            });
    assertThatThrownBy(() -> client.chat().completions().create(chat("fail-401")))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(502);
              assertThat(e.code()).hasValue("upstream_auth_failed");
              assertThat(e.getMessage()).doesNotContain(ANTHROPIC_KEY);
            });
  }

  @Test
  void anOverloadedAnthropicFailsOverToTheNextDeployment() {
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat("overloaded-then-backup"));

    assertThat(response.parse().choices().get(0).message().content()).hasValue(MockUpstream.TEXT);
    assertThat(response.headers().values("X-Provider-Used")).containsExactly("backup/gpt-4o");
    assertThat(response.headers().values("X-Conduit-Attempts")).containsExactly("2");
  }

  @Test
  void anErrorEventBeforeAnyContentFailsOverToo() {
    HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
        client
            .chat()
            .completions()
            .withRawResponse()
            .createStreaming(chat("error-first-then-backup"));
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = response.parse()) {
      stream.stream()
          .forEach(
              chunk ->
                  chunk
                      .choices()
                      .forEach(choice -> choice.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo(MockUpstream.TEXT);
    assertThat(response.headers().values("X-Provider-Used")).containsExactly("backup/gpt-4o");
  }

  @Test
  void badUpstreamInputGetsAClearErrorAndIsLogged() throws Exception {
    String key = newKey();
    HttpResponse<String> truncated = post(key, "invalid-json", false);
    assertThat(truncated.statusCode()).isEqualTo(502);
    assertThat(TestGateway.json(truncated.body()).path("error").path("code").asText())
        .isEqualTo("upstream_invalid_response");
    assertThat(RequestLogs.awaitRow(db, requestId(truncated)).get("error_type"))
        .isEqualTo("upstream_invalid_response");

    HttpResponse<String> html = post(key, "html-error", false);
    assertThat(html.statusCode()).isEqualTo(502);
    assertThat(TestGateway.json(html.body()).path("error").path("message").asText())
        .contains("502 Bad Gateway");

    HttpResponse<String> cut = post(key, "cut-stream", true);
    assertThat(cut.statusCode()).isEqualTo(200);
    assertThat(cut.body())
        .contains("\"content\":\"Hello\"")
        .contains("\"code\":\"upstream_invalid_response\"")
        .doesNotContain("[DONE]");
    assertThat(RequestLogs.awaitRow(db, requestId(cut)).get("error_type"))
        .isEqualTo("upstream_invalid_response");

    HttpResponse<String> noStop = post(key, "no-stop", true);
    assertThat(noStop.body()).contains("without its message_stop").doesNotContain("[DONE]");

    HttpResponse<String> midStreamError = post(key, "error-stream", true);
    assertThat(midStreamError.body())
        .contains("\"content\":\"Hello\"")
        .contains("\"code\":\"overloaded_error\"")
        .doesNotContain("[DONE]");
    assertThat(RequestLogs.awaitRow(db, requestId(midStreamError)).get("error_type"))
        .isEqualTo("overloaded_error");

    // An event type Anthropic may add later is skipped; the answer is whole.
    HttpResponse<String> unknown = post(key, "unknown-event", true);
    assertThat(unknown.body())
        .contains("\" Anthropic mock\"")
        .endsWith("data: [DONE]\n\n")
        .doesNotContain("conduit_test_notice");
    assertThat(RequestLogs.awaitRow(db, requestId(unknown)).get("error_type")).isNull();

    // The gateway keeps serving.
    assertThat(client.chat().completions().create(chat("claude")).choices()).hasSize(1);
  }

  @Test
  void aStreamTheCallerAbandonsStillRecordsItsTokens() throws Exception {
    HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
        client.chat().completions().withRawResponse().createStreaming(chat("gated"));
    StreamResponse<ChatCompletionChunk> stream = response.parse();
    Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
    String first = "";
    while (first.isEmpty()) {
      first =
          chunks.next().choices().stream()
              .map(choice -> choice.delta().content().orElse(""))
              .reduce("", String::concat);
    }
    assertThat(first).isEqualTo("Hello");

    stream.close();
    anthropic.connectionClosed("gated").get(30, TimeUnit.SECONDS);

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response.headers()));
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(499);
    assertThat(RequestLogs.number(row, "input_tokens")).as("from message_start").isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).as("counted so far").isPositive();
    anthropic.openGate();
  }

  private HttpResponse<String> post(String key, String model, boolean stream) throws Exception {
    return gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\""
            + model
            + "\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private String newKey() throws Exception {
    return gateway.newKey();
  }

  private static String requestId(HttpResponse<String> response) {
    return response.headers().firstValue("X-Request-ID").orElseThrow();
  }

  private static String requestId(com.openai.core.http.Headers headers) {
    return headers.values("X-Request-ID").get(0);
  }
}
