package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.conduit.testing.GeminiMockUpstream;
import dev.conduit.testing.LogCapture;
import dev.conduit.testing.MockTokenEndpoint;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAI Java SDK (and the Anthropic SDK on {@code /v1/messages}) calling aliases served by
 * {@code googlecloud} providers, over real HTTP on both sides: one on the Gemini API with an API
 * key, one on Vertex AI with a service account whose token comes from a mock OAuth2 endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDKs' raw responses are read whole by parse(); streamed ones are closed where parsed.
@SuppressWarnings("MustBeClosedChecker")
class GeminiBackedOpenAiTest {
  private static final String GEMINI_KEY = "AIzaSy-test-gemini-upstream-secret";
  private static final List<String> BEHAVIOURS =
      List.of(
          "tool-call",
          "fail-400",
          "fail-429",
          "html-error",
          "invalid-json",
          "cut-stream",
          "no-finish",
          "error-stream",
          "unknown-event",
          "gated");

  private LogCapture logs;
  private GeminiMockUpstream gemini;
  private MockTokenEndpoint tokens;
  private MockUpstream openai;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private OpenAIClient client;
  private String key;

  @BeforeAll
  void start() throws Exception {
    logs = new LogCapture();
    gemini = new GeminiMockUpstream(GEMINI_KEY);
    tokens = new MockTokenEndpoint();
    openai = new MockUpstream();
    db = TestDatabases.sqlite();
    Path keyFile = Files.createTempFile("service-account", ".json");
    keyFile.toFile().deleteOnExit();
    Files.writeString(keyFile, tokens.serviceAccountJson());
    String yaml =
        """
        server:
          eventLoops: 2
        database:
          url: "%1$s"
        # Health checks only when a test asks, so they never come between a call and its check.
        routing:
          healthCheckIntervalMs: 0
        providers:
          - name: gemini
            type: googlecloud
            baseUrl: %2$s
            apiKey: %3$s
          - name: gemini-badkey
            type: googlecloud
            baseUrl: %2$s
            apiKey: AIzaSy-wrong-key-0123456789
          - name: vertex
            type: googlecloud
            baseUrl: %2$s
            project: test-project
            region: us-central1
            serviceAccountFile: %4$s
          - name: backup
            type: openai
            baseUrl: %5$s
            apiKey: sk-test-backup-secret-0123456789
        models:
          - alias: gemini
            deployments:
              - { provider: gemini, model: gemini-2.5-flash }
          - alias: vertex
            deployments:
              - { provider: vertex, model: gemini-2.5-pro }
          - alias: vertex-tool-call
            deployments:
              - { provider: vertex, model: tool-call }
          - alias: badkey
            deployments:
              - { provider: gemini-badkey, model: gemini-2.5-flash }
          - alias: gemini-embed
            deployments:
              - { provider: gemini, model: gemini-embedding-001 }
          - alias: vertex-embed
            deployments:
              - { provider: vertex, model: text-embedding-005 }
          - alias: fail-429-then-backup
            deployments:
              - { provider: gemini, model: fail-429 }
              - { provider: backup, model: gpt-4o }
          - alias: error-first-then-backup
            deployments:
              - { provider: gemini, model: error-first }
              - { provider: backup, model: gpt-4o }
        """
            .formatted(db.url(), gemini.baseUrl(), GEMINI_KEY, keyFile, openai.baseUrl());
    gateway = TestGateway.start(yaml + Yaml.aliases("gemini", BEHAVIOURS));
    key = gateway.newKey();
    client = gateway.openAi(key);
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    gemini.close();
    tokens.close();
    openai.close();
    db.close();
    String logged = logs.text();
    logs.close();
    assertThat(logged)
        .doesNotContain(GEMINI_KEY)
        .doesNotContain(key)
        .doesNotContain("Bearer token-")
        .doesNotContain("PRIVATE KEY");
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
            .putAdditionalProperty("additionalProperties", JsonValue.from(false))
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
  void aChatCompletionIsAnsweredByTheGeminiApi() throws Exception {
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat("gemini"));
    ChatCompletion completion = response.parse();

    assertThat(completion.choices().get(0).message().content()).hasValue(GeminiMockUpstream.TEXT);
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.id()).isEqualTo("mockResponse1");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(17);
    assertThat(completion.usage().orElseThrow().completionTokens())
        .as("with thoughts")
        .isEqualTo(5);
    assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens())
        .hasValue(5L);
    assertThat(response.headers().values("X-Provider-Used"))
        .containsExactly("gemini/gemini-2.5-flash");

    GeminiMockUpstream.Received upstream = gemini.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(upstream.headers().get("x-goog-api-key")).isEqualTo(GEMINI_KEY);
    assertThat(upstream.headers()).doesNotContainKey("authorization");
    assertThat(upstream.body().path("systemInstruction").path("parts").get(0).path("text").asText())
        .isEqualTo("Be brief.");
    assertThat(upstream.body().path("contents")).hasSize(1);
    assertThat(upstream.body().path("contents").get(0).path("role").asText()).isEqualTo("user");

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response.headers()));
    assertThat(row.get("provider")).isEqualTo("gemini");
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(5);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
  }

  @Test
  void aStreamIsTranslatedEventByEventWithUsageWhenAskedFor() {
    ChatCompletionCreateParams params =
        chat("gemini").toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks;
    try (var stream = client.chat().completions().createStreaming(params)) {
      chunks = stream.stream().peek(accumulator::accumulate).toList();
    }

    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.choices().get(0).message().content()).hasValue(GeminiMockUpstream.TEXT);
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
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(5);
    GeminiMockUpstream.Received upstream = gemini.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(upstream.query()).isEqualTo("alt=sse");
  }

  @Test
  void streamUsageIsRecordedButNotShownWhenNotAskedFor() throws Exception {
    HttpResponse<String> response = post("gemini", true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("prompt_tokens").endsWith("data: [DONE]\n\n");
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response));
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(5);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
  }

  @Test
  void functionCallsComeBackAsToolCallsWithSynthesisedIds() {
    ChatCompletion completion = client.chat().completions().create(withTools("tool-call"));

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().content()).hasValue("Let me check.");
    List<ChatCompletionMessageFunctionToolCall> calls =
        functionCalls(choice.message().toolCalls().orElseThrow());
    assertThat(calls)
        .extracting(ChatCompletionMessageFunctionToolCall::id)
        .containsExactly("call_mockResponse1_0__ts__CiQBjz1rX4aZ-tn_Pq0", "call_mockResponse1_1");
    assertThat(calls.get(0).function().name()).isEqualTo("get_weather");
    assertThat(calls.get(0).function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(calls.get(1).function().arguments()).isEqualTo("{\"zone\":\"CET\"}");

    JsonNode declarations =
        gemini.lastReceived().body().path("tools").get(0).path("functionDeclarations");
    assertThat(declarations.get(0).path("name").asText()).isEqualTo("get_weather");
    assertThat(
            declarations
                .get(0)
                .path("parametersJsonSchema")
                .path("additionalProperties")
                .asBoolean(true))
        .as("the caller's JSON Schema, as given")
        .isFalse();
    assertThat(declarations.get(1).has("parametersJsonSchema")).isFalse();
  }

  @Test
  void streamedFunctionCallsArriveIndexedAndWhole() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (var stream = client.chat().completions().createStreaming(withTools("tool-call"))) {
      stream.stream().forEach(accumulator::accumulate);
    }

    ChatCompletion.Choice choice = accumulator.chatCompletion().choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().content()).hasValue("Let me check.");
    List<ChatCompletionMessageFunctionToolCall> calls =
        functionCalls(choice.message().toolCalls().orElseThrow());
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).id()).isEqualTo("call_mockResponse1_0__ts__CiQBjz1rX4aZ-tn_Pq0");
    assertThat(calls.get(0).function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(calls.get(1).function().name()).isEqualTo("get_time");
  }

  @Test
  void toolResultsGoBackAsFunctionResponsesWithTheThoughtSignature() throws Exception {
    String body =
        """
        {"model":"gemini","messages":[
          {"role":"user","content":"Weather and time in Paris?"},
          {"role":"assistant","content":"Let me check.","tool_calls":[
            {"id":"call_mockResponse1_0__ts__CiQBjz1rX4aZ-tn_Pq0","type":"function",
             "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"call_mockResponse1_1","type":"function",
             "function":{"name":"get_time","arguments":"{\\"zone\\":\\"CET\\"}"}}]},
          {"role":"tool","tool_call_id":"call_mockResponse1_0__ts__CiQBjz1rX4aZ-tn_Pq0","content":"18C"},
          {"role":"tool","tool_call_id":"call_mockResponse1_1","content":"14:00"}]}""";
    HttpResponse<String> response = gateway.client("POST", "/v1/chat/completions", key, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode contents = gemini.lastReceived().body().path("contents");
    assertThat(contents).hasSize(3);
    JsonNode modelTurn = contents.get(1);
    assertThat(modelTurn.path("role").asText()).isEqualTo("model");
    assertThat(modelTurn.path("parts").get(1).path("functionCall").path("name").asText())
        .isEqualTo("get_weather");
    assertThat(modelTurn.path("parts").get(1).path("thoughtSignature").asText())
        .isEqualTo(GeminiMockUpstream.SIGNATURE);
    assertThat(modelTurn.path("parts").get(1).path("functionCall").has("id")).isFalse();
    assertThat(modelTurn.path("parts").get(2).has("thoughtSignature")).isFalse();
    JsonNode results = contents.get(2);
    assertThat(results.path("role").asText()).isEqualTo("user");
    assertThat(results.path("parts").get(0).path("functionResponse").path("name").asText())
        .isEqualTo("get_weather");
    assertThat(
            results
                .path("parts")
                .get(0)
                .path("functionResponse")
                .path("response")
                .path("result")
                .asText())
        .isEqualTo("18C");
    assertThat(results.path("parts").get(1).path("functionResponse").path("name").asText())
        .isEqualTo("get_time");
  }

  @Test
  void vertexAiIsCalledWithTheServiceAccountsToken() throws Exception {
    int issuedBefore = tokens.issued();
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat("vertex"));
    GeminiMockUpstream.Received whole = gemini.lastReceived();
    StringBuilder streamed = new StringBuilder();
    try (var stream = client.chat().completions().createStreaming(chat("vertex"))) {
      stream.stream()
          .forEach(
              chunk ->
                  chunk
                      .choices()
                      .forEach(choice -> choice.delta().content().ifPresent(streamed::append)));
    }
    GeminiMockUpstream.Received stream = gemini.lastReceived();

    assertThat(response.parse().choices().get(0).message().content())
        .hasValue(GeminiMockUpstream.TEXT);
    assertThat(streamed.toString()).isEqualTo(GeminiMockUpstream.TEXT);
    assertThat(response.headers().values("X-Provider-Used"))
        .containsExactly("vertex/gemini-2.5-pro");
    assertThat(whole.path())
        .isEqualTo(
            "/v1/projects/test-project/locations/us-central1/"
                + "publishers/google/models/gemini-2.5-pro:generateContent");
    assertThat(stream.path()).endsWith("/models/gemini-2.5-pro:streamGenerateContent");
    assertThat(stream.query()).isEqualTo("alt=sse");
    assertThat(whole.headers().get("authorization")).startsWith("Bearer token-");
    assertThat(stream.headers().get("authorization"))
        .isEqualTo(whole.headers().get("authorization"));
    assertThat(whole.headers()).doesNotContainKey("x-goog-api-key");
    assertThat(tokens.issued() - issuedBefore)
        .as("one token for both calls")
        .isLessThanOrEqualTo(1);
    assertThat(tokens.problems()).isEmpty();

    HttpResponse<String> unasked = post("vertex", true);
    assertThat(unasked.body()).doesNotContain("prompt_tokens").endsWith("data: [DONE]\n\n");
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(unasked));
    assertThat(row.get("provider")).isEqualTo("vertex");
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(5);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
  }

  @Test
  void vertexToolCallsStreamWhole() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (var stream = client.chat().completions().createStreaming(withTools("vertex-tool-call"))) {
      stream.stream().forEach(accumulator::accumulate);
    }
    List<ChatCompletionMessageFunctionToolCall> calls =
        functionCalls(
            accumulator.chatCompletion().choices().get(0).message().toolCalls().orElseThrow());
    assertThat(calls)
        .extracting(call -> call.function().name())
        .containsExactly("get_weather", "get_time");
  }

  @Test
  void embeddingsAreTranslatedForTheGeminiApi() {
    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("gemini-embed")
                    .inputOfArrayOfStrings(List.of("first", "second"))
                    .dimensions(3)
                    .build());

    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(0).embedding()).containsExactly(0.5f, 0f, 0.25f);
    assertThat(response.data().get(1).embedding()).containsExactly(1.5f, -1f, 0.25f);
    assertThat(response.data().get(1).index()).isEqualTo(1);
    assertThat(response.usage().promptTokens()).as("counted by the gateway").isPositive();
    GeminiMockUpstream.Received upstream = gemini.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    JsonNode requests = upstream.body().path("requests");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).path("model").asText()).isEqualTo("models/gemini-embedding-001");
    assertThat(requests.get(1).path("content").path("parts").get(0).path("text").asText())
        .isEqualTo("second");
    assertThat(requests.get(0).path("outputDimensionality").asInt()).isEqualTo(3);
  }

  @Test
  void embeddingsReachVertexAiAndCanComeBackAsBase64() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/embeddings",
            key,
            "{\"model\":\"vertex-embed\",\"input\":\"What is life?\",\"encoding_format\":\"base64\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = TestGateway.json(response.body());
    ByteBuffer floats =
        ByteBuffer.wrap(
                Base64.getDecoder().decode(body.path("data").get(0).path("embedding").asText()))
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(floats.getFloat()).isEqualTo(0.5f);
    assertThat(floats.getFloat()).isEqualTo(0f);
    assertThat(floats.getFloat()).isEqualTo(0.25f);
    assertThat(body.path("usage").path("prompt_tokens").asInt()).as("Vertex's count").isEqualTo(4);
    GeminiMockUpstream.Received upstream = gemini.lastReceived();
    assertThat(upstream.path())
        .isEqualTo(
            "/v1/projects/test-project/locations/us-central1/"
                + "publishers/google/models/text-embedding-005:predict");
    assertThat(upstream.body().path("instances").get(0).path("content").asText())
        .isEqualTo("What is life?");
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response));
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(4);
  }

  @Test
  void geminiErrorsKeepTheirMeaningAndTheKeyStaysSecret() {
    assertThatThrownBy(() -> client.chat().completions().create(chat("fail-400")))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("mock 400"));
    assertThatThrownBy(() -> client.chat().completions().create(chat("badkey")))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(502);
              assertThat(e.code()).hasValue("upstream_auth_failed");
              assertThat(e.getMessage())
                  .contains("API key not valid")
                  .doesNotContain("AIzaSy-wrong-key");
            });
  }

  @Test
  void activeHealthChecksListTheGeminiApisModelsWithTheKey() throws Exception {
    HttpResponse<String> response =
        gateway.admin("POST", "/api/admin/providers/health/check", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Map<String, JsonNode> checks = new java.util.HashMap<>();
    TestGateway.json(response.body())
        .path("checks")
        .forEach(check -> checks.put(check.path("provider").asText(), check));
    assertThat(checks.get("gemini").path("ok").asBoolean()).isTrue();
    assertThat(checks.get("gemini-badkey").path("ok").asBoolean()).isFalse();
    assertThat(checks.get("vertex").path("checked").asBoolean())
        .as("needs a token: live traffic")
        .isFalse();
    GeminiMockUpstream.Received check =
        gemini.received().stream()
            .filter(
                received ->
                    received.path().equals("/v1beta/models")
                        && GEMINI_KEY.equals(received.headers().get("x-goog-api-key")))
            .reduce((first, second) -> second)
            .orElseThrow();
    assertThat(check.query()).isEqualTo("pageSize=1");
  }

  @Test
  void aRateLimitedGeminiFailsOverToTheNextDeployment() {
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat("fail-429-then-backup"));

    assertThat(response.parse().choices().get(0).message().content()).hasValue(MockUpstream.TEXT);
    assertThat(response.headers().values("X-Provider-Used")).containsExactly("backup/gpt-4o");
    assertThat(response.headers().values("X-Conduit-Attempts")).containsExactly("2");
  }

  @Test
  void anErrorEventBeforeAnyContentFailsOverToo() {
    HttpResponseFor<com.openai.core.http.StreamResponse<ChatCompletionChunk>> response =
        client
            .chat()
            .completions()
            .withRawResponse()
            .createStreaming(chat("error-first-then-backup"));
    StringBuilder text = new StringBuilder();
    try (var stream = response.parse()) {
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
    HttpResponse<String> truncated = post("invalid-json", false);
    assertThat(truncated.statusCode()).isEqualTo(502);
    assertThat(TestGateway.json(truncated.body()).path("error").path("code").asText())
        .isEqualTo("upstream_invalid_response");
    assertThat(RequestLogs.awaitRow(db, requestId(truncated)).get("error_type"))
        .isEqualTo("upstream_invalid_response");

    HttpResponse<String> html = post("html-error", false);
    assertThat(html.statusCode()).isEqualTo(502);
    assertThat(TestGateway.json(html.body()).path("error").path("message").asText())
        .contains("502 Bad Gateway");

    HttpResponse<String> cut = post("cut-stream", true);
    assertThat(cut.statusCode()).isEqualTo(200);
    assertThat(cut.body())
        .contains("\"content\":\"Hello\"")
        .contains("\"code\":\"upstream_invalid_response\"")
        .doesNotContain("[DONE]");
    assertThat(RequestLogs.awaitRow(db, requestId(cut)).get("error_type"))
        .isEqualTo("upstream_invalid_response");

    HttpResponse<String> noFinish = post("no-finish", true);
    assertThat(noFinish.body()).contains("finishReason").doesNotContain("[DONE]");

    HttpResponse<String> midStreamError = post("error-stream", true);
    assertThat(midStreamError.body())
        .contains("\"content\":\"Hello\"")
        .contains("\"code\":\"UNAVAILABLE\"")
        .contains("The model is overloaded.")
        .doesNotContain("[DONE]");
    assertThat(RequestLogs.awaitRow(db, requestId(midStreamError)).get("error_type"))
        .isEqualTo("UNAVAILABLE");

    // A named event Gemini never sends is skipped; the answer is whole.
    HttpResponse<String> unknown = post("unknown-event", true);
    assertThat(unknown.body())
        .contains("\" Gemini mock\"")
        .endsWith("data: [DONE]\n\n")
        .doesNotContain("conduit_test_notice");
    assertThat(RequestLogs.awaitRow(db, requestId(unknown)).get("error_type")).isNull();

    // The gateway keeps serving.
    assertThat(client.chat().completions().create(chat("gemini")).choices()).hasSize(1);
  }

  @Test
  void aStreamTheCallerAbandonsStillRecordsItsTokens() throws Exception {
    var response = client.chat().completions().withRawResponse().createStreaming(chat("gated"));
    var stream = response.parse();
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
    gemini.connectionClosed("gated").get(30, TimeUnit.SECONDS);

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response.headers()));
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(499);
    assertThat(RequestLogs.number(row, "input_tokens")).as("from the first event").isEqualTo(17);
    assertThat(RequestLogs.number(row, "output_tokens")).isPositive();
    gemini.openGate();
  }

  @Test
  void theAnthropicSdkReachesGeminiThroughMessages() {
    AnthropicClient anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl(gateway.clientUrl(""))
            .apiKey(key)
            .maxRetries(0)
            .timeout(Duration.ofSeconds(30))
            .build();
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model("gemini")
            .maxTokens(100)
            .system("Be brief.")
            .addUserMessage("Say hello")
            .build();

    Message whole = anthropic.messages().create(params);
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream =
        anthropic.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message streamed = accumulator.message();

    assertThat(text(whole)).isEqualTo(GeminiMockUpstream.TEXT);
    assertThat(whole.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(whole.usage().inputTokens() + whole.usage().cacheReadInputTokens().orElse(0L))
        .isEqualTo(17);
    assertThat(text(streamed)).isEqualTo(GeminiMockUpstream.TEXT);
    assertThat(streamed.stopReason()).hasValue(StopReason.END_TURN);
    JsonNode sent = gemini.lastReceived().body();
    assertThat(sent.path("systemInstruction").path("parts").get(0).path("text").asText())
        .isEqualTo("Be brief.");
    assertThat(sent.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(100);
  }

  private static List<ChatCompletionMessageFunctionToolCall> functionCalls(
      List<com.openai.models.chat.completions.ChatCompletionMessageToolCall> calls) {
    return calls.stream().map(call -> call.asFunction()).toList();
  }

  private static String text(Message message) {
    StringBuilder text = new StringBuilder();
    message.content().stream()
        .filter(ContentBlock::isText)
        .forEach(block -> text.append(block.asText().text()));
    return text.toString();
  }

  private HttpResponse<String> post(String model, boolean stream) throws Exception {
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

  private static String requestId(HttpResponse<String> response) {
    return response.headers().firstValue("X-Request-ID").orElseThrow();
  }

  private static String requestId(com.openai.core.http.Headers headers) {
    return headers.values("X-Request-ID").get(0);
  }
}
