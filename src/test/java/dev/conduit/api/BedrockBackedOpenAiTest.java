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
import dev.conduit.provider.aws.AwsCredentials;
import dev.conduit.testing.BedrockMockUpstream;
import dev.conduit.testing.LogCapture;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAI Java SDK (and the Anthropic SDK on {@code /v1/messages}) calling aliases served by AWS
 * Bedrock's Converse API, over real HTTP: the mock checks each SigV4 signature with the secret it
 * shares with the gateway, and streams binary event-stream frames split across writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDKs' raw responses are read whole by parse(); streamed ones are closed where parsed.
@SuppressWarnings("MustBeClosedChecker")
class BedrockBackedOpenAiTest {
  private static final AwsCredentials AWS =
      new AwsCredentials(
          "AKIATESTGATEWAY01",
          "test/Secret+Access/Key0123456789abcdefghij",
          "session-token-for-the-test");
  private static final String BEDROCK_API_KEY = "bedrock-api-key-test-0123456789";
  private static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
  private static final String PROFILE_ARN =
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3";
  private static final List<String> BEHAVIOURS =
      List.of(
          "tool-call",
          "validation",
          "html-error",
          "invalid-json",
          "cut-stream",
          "no-stop",
          "error-stream",
          "corrupt-crc",
          "unknown-event",
          "gated");

  private LogCapture logs;
  private BedrockMockUpstream bedrock;
  private MockUpstream openai;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private OpenAIClient client;
  private String key;

  @BeforeAll
  void start() throws Exception {
    logs = new LogCapture();
    bedrock = new BedrockMockUpstream(AWS, "us-east-1", BEDROCK_API_KEY);
    openai = new MockUpstream();
    db = TestDatabases.sqlite();
    String yaml =
        """
        server:
          eventLoops: 2
        database:
          url: "%1$s"
        providers:
          - name: bedrock
            type: bedrock
            baseUrl: %2$s
            region: us-east-1
            accessKeyId: %3$s
            secretAccessKey: %4$s
            sessionToken: %5$s
          - name: bedrock-wrong-secret
            type: bedrock
            baseUrl: %2$s
            region: us-east-1
            accessKeyId: %3$s
            secretAccessKey: not-the-secret-0123456789
            sessionToken: %5$s
          - name: bedrock-key
            type: bedrock
            baseUrl: %2$s
            region: us-east-1
            apiKey: %6$s
          - name: backup
            type: openai
            baseUrl: %7$s
            apiKey: sk-test-backup-secret-0123456789
        models:
          - alias: claude
            deployments:
              - { provider: bedrock, model: "%8$s" }
          - alias: profile
            deployments:
              - { provider: bedrock, model: "%9$s" }
          - alias: wrong-secret
            deployments:
              - { provider: bedrock-wrong-secret, model: "%8$s" }
          - alias: api-key
            deployments:
              - { provider: bedrock-key, model: "%8$s" }
          - alias: throttled-then-backup
            deployments:
              - { provider: bedrock, model: throttled }
              - { provider: backup, model: gpt-4o }
          - alias: exception-first-then-backup
            deployments:
              - { provider: bedrock, model: exception-first }
              - { provider: backup, model: gpt-4o }
        """
            .formatted(
                db.url(),
                bedrock.baseUrl(),
                AWS.accessKeyId(),
                AWS.secretAccessKey(),
                AWS.sessionToken(),
                BEDROCK_API_KEY,
                openai.baseUrl(),
                MODEL,
                PROFILE_ARN);
    gateway =
        TestGateway.start(
            yaml + Yaml.aliases("bedrock", BEHAVIOURS),
            Map.of("CONDUIT_ENCRYPTION_KEY", "bedrock-test-encryption-key"));
    key = gateway.newKey();
    client = gateway.openAi(key);
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    bedrock.close();
    openai.close();
    db.close();
    String logged = logs.text();
    logs.close();
    assertThat(logged)
        .doesNotContain(AWS.secretAccessKey())
        .doesNotContain(AWS.sessionToken())
        .doesNotContain(BEDROCK_API_KEY)
        .doesNotContain(key);
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
  void aSignedConverseCallAnswersTheChatCompletion() throws Exception {
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat("claude"));
    ChatCompletion completion = response.parse();

    assertThat(completion.choices().get(0).message().content()).hasValue(BedrockMockUpstream.TEXT);
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens())
        .as("with cache reads and writes")
        .isEqualTo(19);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
    assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens())
        .hasValue(5L);
    assertThat(response.headers().values("X-Provider-Used")).containsExactly("bedrock/" + MODEL);

    BedrockMockUpstream.Received upstream = bedrock.lastReceived();
    assertThat(upstream.path())
        .isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
    assertThat(upstream.modelId()).isEqualTo(MODEL);
    assertThat(upstream.headers().get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=" + AWS.accessKeyId() + "/")
        .contains("/us-east-1/bedrock/aws4_request")
        .contains("x-amz-security-token");
    assertThat(upstream.headers().get("x-amz-security-token")).isEqualTo(AWS.sessionToken());
    assertThat(upstream.body().path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(upstream.body().path("messages").get(0).path("content").get(0).path("text").asText())
        .isEqualTo("Say hello");

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response.headers()));
    assertThat(row.get("provider")).isEqualTo("bedrock");
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(19);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
  }

  @Test
  void anInferenceProfileArnIsOnePathSegment() {
    ChatCompletion completion = client.chat().completions().create(chat("profile"));

    assertThat(completion.choices().get(0).message().content()).hasValue(BedrockMockUpstream.TEXT);
    BedrockMockUpstream.Received upstream = bedrock.lastReceived();
    assertThat(upstream.path())
        .isEqualTo(
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012"
                + "%3Aapplication-inference-profile%2Fa1b2c3/converse");
    assertThat(upstream.modelId()).isEqualTo(PROFILE_ARN);
  }

  @Test
  void aBedrockApiKeyIsSentAsBearerInsteadOfASignature() {
    ChatCompletion completion = client.chat().completions().create(chat("api-key"));

    assertThat(completion.choices().get(0).message().content()).hasValue(BedrockMockUpstream.TEXT);
    assertThat(bedrock.lastReceived().headers().get("authorization"))
        .isEqualTo("Bearer " + BEDROCK_API_KEY);
    assertThat(bedrock.lastReceived().headers()).doesNotContainKey("x-amz-date");
  }

  @Test
  void aStreamOfEventStreamFramesIsTranslatedWithUsageWhenAskedFor() {
    ChatCompletionCreateParams params =
        chat("claude").toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks;
    try (var stream = client.chat().completions().createStreaming(params)) {
      chunks = stream.stream().peek(accumulator::accumulate).toList();
    }

    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.choices().get(0).message().content()).hasValue(BedrockMockUpstream.TEXT);
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(19);
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(3);
    BedrockMockUpstream.Received upstream = bedrock.lastReceived();
    assertThat(upstream.path()).endsWith("%3A0/converse-stream");
    assertThat(upstream.headers().get("accept")).isEqualTo("application/vnd.amazon.eventstream");
  }

  @Test
  void streamUsageIsRecordedButNotShownWhenNotAskedFor() throws Exception {
    HttpResponse<String> response = post("claude", true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("prompt_tokens").endsWith("data: [DONE]\n\n");
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response));
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(19);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
  }

  @Test
  void toolUsesComeBackAsToolCalls() {
    ChatCompletion completion = client.chat().completions().create(withTools("tool-call"));

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().content()).hasValue("Let me check.");
    List<ChatCompletionMessageFunctionToolCall> calls = functionCalls(choice);
    assertThat(calls)
        .extracting(ChatCompletionMessageFunctionToolCall::id)
        .containsExactly("tooluse_mock1", "tooluse_mock2");
    assertThat(calls.get(0).function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(calls.get(1).function().name()).isEqualTo("get_time");

    JsonNode tools = bedrock.lastReceived().body().path("toolConfig").path("tools");
    assertThat(tools.get(0).path("toolSpec").path("name").asText()).isEqualTo("get_weather");
    assertThat(
            tools
                .get(0)
                .path("toolSpec")
                .path("inputSchema")
                .path("json")
                .path("properties")
                .has("city"))
        .isTrue();
    assertThat(tools.get(1).path("toolSpec").path("inputSchema").path("json").path("type").asText())
        .isEqualTo("object");
  }

  @Test
  void streamedToolUsesArriveIndexedAndWhole() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (var stream = client.chat().completions().createStreaming(withTools("tool-call"))) {
      stream.stream().forEach(accumulator::accumulate);
    }

    ChatCompletion.Choice choice = accumulator.chatCompletion().choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    List<ChatCompletionMessageFunctionToolCall> calls = functionCalls(choice);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).id()).isEqualTo("tooluse_mock1");
    assertThat(calls.get(0).function().arguments()).isEqualTo("{\"city\": \"Paris\"}");
    assertThat(calls.get(1).id()).isEqualTo("tooluse_mock2");
    assertThat(calls.get(1).function().arguments()).isEqualTo("{\"zone\": \"CET\"}");
  }

  @Test
  void toolResultsGoBackAsToolResultBlocks() throws Exception {
    String body =
        """
        {"model":"claude","max_tokens":64,"stop":["END"],"temperature":1.4,"messages":[
          {"role":"system","content":"Use tools."},
          {"role":"user","content":[{"type":"text","text":"Weather where this is?"},
            {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"tooluse_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"tooluse_b","type":"function","function":{"name":"get_time","arguments":""}}]},
          {"role":"tool","tool_call_id":"tooluse_a","content":"18C"},
          {"role":"tool","tool_call_id":"tooluse_b","content":"14:00"},
          {"role":"user","content":"Thanks"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}},
                  {"type":"function","function":{"name":"get_time"}}]}""";
    HttpResponse<String> response = gateway.client("POST", "/v1/chat/completions", key, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode sent = bedrock.lastReceived().body();
    assertThat(sent.path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(64);
    assertThat(sent.path("inferenceConfig").path("temperature").asDouble()).isEqualTo(1.0);
    assertThat(sent.path("inferenceConfig").path("stopSequences").get(0).asText()).isEqualTo("END");
    JsonNode messages = sent.path("messages");
    assertThat(messages).hasSize(3);
    JsonNode image = messages.get(0).path("content").get(1).path("image");
    assertThat(image.path("format").asText()).isEqualTo("jpeg");
    assertThat(image.path("source").path("bytes").asText()).isEqualTo("/9j/4AAQ");
    JsonNode uses = messages.get(1).path("content");
    assertThat(uses.get(0).path("toolUse").path("input").path("city").asText()).isEqualTo("Paris");
    assertThat(uses.get(1).path("toolUse").path("input").isObject()).isTrue();
    JsonNode results = messages.get(2).path("content");
    assertThat(results.get(0).path("toolResult").path("toolUseId").asText()).isEqualTo("tooluse_a");
    assertThat(results.get(1).path("toolResult").path("content").get(0).path("text").asText())
        .isEqualTo("14:00");
    assertThat(results.get(2).path("text").asText()).isEqualTo("Thanks");
  }

  @Test
  void bedrockErrorsKeepTheirMeaningAndSecretsStaySecret() {
    assertThatThrownBy(() -> client.chat().completions().create(chat("validation")))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.getMessage()).contains("The provided model identifier is invalid.");
              assertThat(e.code()).hasValue("ValidationException");
            });
    assertThatThrownBy(() -> client.chat().completions().create(chat("wrong-secret")))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(502);
              assertThat(e.code()).hasValue("upstream_auth_failed");
              assertThat(e.getMessage())
                  .contains("signature")
                  .doesNotContain("not-the-secret")
                  .doesNotContain(AWS.sessionToken());
            });
  }

  @Test
  void embeddingsAreRefusedForConverse() throws Exception {
    HttpResponse<String> response =
        gateway.client("POST", "/v1/embeddings", key, "{\"model\":\"claude\",\"input\":\"hi\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(response.body()).path("error").path("message").asText())
        .contains("'bedrock'")
        .contains("embeddings");
  }

  @Test
  void aProviderDefinedThroughTheAdminApiKeepsItsAwsSecretsSecret() throws Exception {
    HttpResponse<String> created =
        gateway.admin(
            "POST",
            "/api/admin/providers",
            "{\"name\":\"bedrock-admin\",\"type\":\"bedrock\",\"baseUrl\":\""
                + bedrock.baseUrl()
                + "\",\"region\":\"us-east-1\",\"accessKeyId\":\""
                + AWS.accessKeyId()
                + "\",\"secretAccessKey\":\""
                + AWS.secretAccessKey()
                + "\",\"sessionToken\":\""
                + AWS.sessionToken()
                + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.body())
        .doesNotContain(AWS.secretAccessKey())
        .doesNotContain(AWS.sessionToken());
    JsonNode view = TestGateway.json(created.body());
    assertThat(view.path("secretAccessKey").asText()).isEqualTo("****ghij");
    assertThat(view.path("sessionToken").asText()).isEqualTo("****test");
    assertThat(
            gateway
                .admin(
                    "POST",
                    "/api/admin/model-mappings",
                    "{\"alias\":\"admin-claude\","
                        + "\"deployments\":[{\"provider\":\"bedrock-admin\",\"model\":\""
                        + MODEL
                        + "\"}]}")
                .statusCode())
        .isEqualTo(201);

    assertThat(post("admin-claude", false).statusCode())
        .as("signed with the stored secret")
        .isEqualTo(200);
    try (java.sql.Connection connection = db.connect();
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rows =
            statement.executeQuery(
                "SELECT definition FROM admin_providers WHERE name = 'bedrock-admin'")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1))
          .contains(AWS.accessKeyId())
          .doesNotContain(AWS.secretAccessKey())
          .doesNotContain(AWS.sessionToken());
    }

    // A change that leaves the secrets out keeps them.
    HttpResponse<String> replaced =
        gateway.admin(
            "PUT",
            "/api/admin/providers/bedrock-admin",
            "{\"type\":\"bedrock\",\"baseUrl\":\""
                + bedrock.baseUrl()
                + "\",\"region\":"
                + "\"us-east-1\",\"accessKeyId\":\""
                + AWS.accessKeyId()
                + "\"}");
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    assertThat(post("admin-claude", false).statusCode()).isEqualTo(200);

    assertThat(gateway.admin("DELETE", "/api/admin/model-mappings/admin-claude", null).statusCode())
        .isEqualTo(200);
    assertThat(gateway.admin("DELETE", "/api/admin/providers/bedrock-admin", null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void throttlingFailsOverToTheNextDeployment() {
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat("throttled-then-backup"));

    assertThat(response.parse().choices().get(0).message().content()).hasValue(MockUpstream.TEXT);
    assertThat(response.headers().values("X-Provider-Used")).containsExactly("backup/gpt-4o");
    assertThat(response.headers().values("X-Conduit-Attempts")).containsExactly("2");
  }

  @Test
  void anExceptionFrameBeforeAnyContentFailsOverToo() {
    var response =
        client
            .chat()
            .completions()
            .withRawResponse()
            .createStreaming(chat("exception-first-then-backup"));
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

    HttpResponse<String> corrupt = post("corrupt-crc", true);
    assertThat(corrupt.body())
        .contains("\"content\":\"Hello\"")
        .contains("CRC")
        .doesNotContain("[DONE]");
    assertThat(RequestLogs.awaitRow(db, requestId(corrupt)).get("error_type"))
        .isEqualTo("upstream_invalid_response");

    HttpResponse<String> noStop = post("no-stop", true);
    assertThat(noStop.body()).contains("without its messageStop").doesNotContain("[DONE]");

    HttpResponse<String> midStreamError = post("error-stream", true);
    assertThat(midStreamError.body())
        .contains("\"content\":\"Hello\"")
        .contains("\"code\":\"ThrottlingException\"")
        .doesNotContain("[DONE]");
    assertThat(RequestLogs.awaitRow(db, requestId(midStreamError)).get("error_type"))
        .isEqualTo("ThrottlingException");

    // An event type Bedrock may add later is skipped; the answer is whole.
    HttpResponse<String> unknown = post("unknown-event", true);
    assertThat(unknown.body())
        .contains("\" Bedrock mock\"")
        .endsWith("data: [DONE]\n\n")
        .doesNotContain("conduitTestNotice");
    assertThat(RequestLogs.awaitRow(db, requestId(unknown)).get("error_type")).isNull();

    // The gateway keeps serving.
    assertThat(client.chat().completions().create(chat("claude")).choices()).hasSize(1);
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
    bedrock.connectionClosed("gated").get(30, TimeUnit.SECONDS);

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(response.headers()));
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(499);
    assertThat(RequestLogs.number(row, "input_tokens")).as("counted by the gateway").isPositive();
    assertThat(RequestLogs.number(row, "output_tokens")).isPositive();
    bedrock.openGate();
  }

  @Test
  void theAnthropicSdkReachesBedrockThroughMessages() {
    AnthropicClient anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl(gateway.clientUrl(""))
            .apiKey(key)
            .maxRetries(0)
            .timeout(Duration.ofSeconds(30))
            .build();
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model("claude")
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

    assertThat(text(whole)).isEqualTo(BedrockMockUpstream.TEXT);
    assertThat(whole.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(text(accumulator.message())).isEqualTo(BedrockMockUpstream.TEXT);
    assertThat(bedrock.lastReceived().body().path("inferenceConfig").path("maxTokens").asInt())
        .isEqualTo(100);
  }

  private static List<ChatCompletionMessageFunctionToolCall> functionCalls(
      ChatCompletion.Choice choice) {
    return choice.message().toolCalls().orElseThrow().stream()
        .map(call -> call.asFunction())
        .toList();
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
