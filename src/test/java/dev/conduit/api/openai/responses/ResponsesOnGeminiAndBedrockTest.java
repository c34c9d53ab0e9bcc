package dev.conduit.api.openai.responses;

import static dev.conduit.api.openai.responses.ResponsesSdk.ask;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStreamEvent;
import dev.conduit.provider.aws.AwsCredentials;
import dev.conduit.testing.BedrockMockUpstream;
import dev.conduit.testing.GeminiMockUpstream;
import dev.conduit.testing.MockTokenEndpoint;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAI SDK's Responses API on Gemini and on Bedrock (Converse): text, usage with Gemini's
 * thought tokens as reasoning tokens, {@code text.format} as Gemini's response schema, function
 * calls round-tripped, streamed tool-call arguments.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDK's raw responses are read whole by parse().
@SuppressWarnings("MustBeClosedChecker")
class ResponsesOnGeminiAndBedrockTest {
  private static final String GEMINI_KEY = "AIzaSy-test-gemini-upstream-secret";
  private static final AwsCredentials AWS =
      new AwsCredentials(
          "AKIATESTGATEWAY01",
          "test/Secret+Access/Key0123456789abcdefghij",
          "session-token-for-the-test");
  private static final String BEDROCK_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

  private GeminiMockUpstream gemini;
  private BedrockMockUpstream bedrock;
  private MockTokenEndpoint tokens;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private OpenAIClient client;

  @BeforeAll
  void start() throws Exception {
    gemini = new GeminiMockUpstream(GEMINI_KEY);
    bedrock = new BedrockMockUpstream(AWS, "us-east-1", "bedrock-api-key-test-0123456789");
    tokens = new MockTokenEndpoint();
    Path keyFile = Files.createTempFile("service-account", ".json");
    keyFile.toFile().deleteOnExit();
    Files.writeString(keyFile, tokens.serviceAccountJson());
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
              - name: gemini
                type: googlecloud
                baseUrl: %s
                apiKey: %s
              - name: bedrock
                type: bedrock
                baseUrl: %s
                region: us-east-1
                accessKeyId: %s
                secretAccessKey: %s
                sessionToken: %s
              - name: vertex
                type: googlecloud
                baseUrl: %s
                project: test-project
                region: us-central1
                serviceAccountFile: %s
            models:
              - alias: vertex
                deployments: [{ provider: vertex, model: gemini-2.5-pro }]
              - alias: gemini
                deployments: [{ provider: gemini, model: gemini-2.5-flash }]
              - alias: gemini-tools
                deployments: [{ provider: gemini, model: tool-call }]
              - alias: bedrock
                deployments: [{ provider: bedrock, model: "%s" }]
              - alias: bedrock-tools
                deployments: [{ provider: bedrock, model: tool-call }]
            """
                .formatted(
                    db.url(),
                    gemini.baseUrl(),
                    GEMINI_KEY,
                    bedrock.baseUrl(),
                    AWS.accessKeyId(),
                    AWS.secretAccessKey(),
                    AWS.sessionToken(),
                    gemini.baseUrl(),
                    keyFile,
                    BEDROCK_MODEL));
    client = gateway.openAi(gateway.newKey());
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    gemini.close();
    bedrock.close();
    tokens.close();
    db.close();
  }

  @Test
  void geminiAnswersWithThoughtTokensAsReasoningTokens() throws Exception {
    HttpResponseFor<Response> raw =
        client
            .responses()
            .withRawResponse()
            .create(
                ask("gemini", "Say hello")
                    .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                    .build());
    Response response = raw.parse();

    assertThat(ResponsesSdk.text(response)).isEqualTo(GeminiMockUpstream.TEXT);
    var usage = response.usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(17);
    assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(5);
    assertThat(usage.outputTokens()).isEqualTo(5);
    assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(2);
    JsonNode sent = gemini.lastReceived().body();
    assertThat(sent.get("contents").get(0).toString()).contains("Say hello");
    assertThat(sent.path("generationConfig").path("thinkingConfig").isObject()).isTrue();
    Map<String, Object> row = RequestLogs.awaitRow(db, raw.headers().values("X-Request-ID").get(0));
    assertThat(row.get("endpoint")).isEqualTo("responses");
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(5);
  }

  @Test
  void vertexAiAnswersWithTheServiceAccountsToken() {
    Response response = client.responses().create(ask("vertex", "Say hello").build());

    assertThat(ResponsesSdk.text(response)).isEqualTo(GeminiMockUpstream.TEXT);
    GeminiMockUpstream.Received sent = gemini.lastReceived();
    assertThat(sent.path())
        .isEqualTo(
            "/v1/projects/test-project/locations/us-central1/"
                + "publishers/google/models/gemini-2.5-pro:generateContent");
    assertThat(sent.headers().get("authorization")).startsWith("Bearer token-");
    assertThat(sent.body().get("contents").get(0).toString()).contains("Say hello");
  }

  @Test
  void aJsonSchemaFormatBecomesGeminisResponseSchema() {
    client.responses().create(ask("gemini", "A city?").text(ResponsesSdk.cityFormat()).build());

    JsonNode config = gemini.lastReceived().body().get("generationConfig");
    assertThat(config.get("responseMimeType").asText()).isEqualTo("application/json");
    assertThat(config.get("responseJsonSchema").get("properties").has("name")).isTrue();
  }

  @Test
  void aGeminiFunctionCallRoundTrips() {
    Response first =
        client
            .responses()
            .create(
                ask("gemini-tools", "Weather in Paris?")
                    .addTool(ResponsesSdk.weatherTool())
                    .build());
    ResponseFunctionToolCall call = ResponsesSdk.calls(first).get(0);
    assertThat(call.name()).isEqualTo("get_weather");

    client.responses().create(ResponsesSdk.toolResult("gemini", call, "{\"temperature\": 21}"));

    JsonNode contents = gemini.lastReceived().body().get("contents");
    assertThat(contents).hasSize(3);
    assertThat(contents.get(1).get("role").asText()).isEqualTo("model");
    assertThat(contents.get(1).toString()).contains("functionCall").contains("get_weather");
    assertThat(contents.get(2).toString()).contains("functionResponse").contains("temperature");
  }

  @Test
  void geminiToolCallsStreamAsFunctionCallItems() {
    List<ResponseStreamEvent> events =
        ResponsesSdk.events(
            client
                .responses()
                .createStreaming(
                    ask("gemini-tools", "Weather in Paris?")
                        .addTool(ResponsesSdk.weatherTool())
                        .build()));

    Response completed = ResponsesSdk.completed(events);
    assertThat(ResponsesSdk.calls(completed))
        .extracting(ResponseFunctionToolCall::name)
        .containsExactly("get_weather", "get_time");
    assertThat(ResponsesSdk.streamedArguments(events)).contains("Paris");
    assertThat(ResponsesSdk.streamedText(events)).isEqualTo("Let me check.");
  }

  @Test
  void bedrockStreamsTextWithItsUsage() throws Exception {
    HttpResponseFor<com.openai.core.http.StreamResponse<ResponseStreamEvent>> raw =
        client.responses().withRawResponse().createStreaming(ask("bedrock", "Say hello").build());
    List<ResponseStreamEvent> events = ResponsesSdk.events(raw.parse());

    assertThat(ResponsesSdk.streamedText(events)).isEqualTo(BedrockMockUpstream.TEXT);
    var usage = ResponsesSdk.completed(events).usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(19); // 12 + 5 cache-read + 2 cache-write
    assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(5);
    assertThat(usage.outputTokens()).isEqualTo(3);
    assertThat(bedrock.lastReceived().path()).endsWith("/converse-stream");
    Map<String, Object> row = RequestLogs.awaitRow(db, raw.headers().values("X-Request-ID").get(0));
    assertThat(row.get("endpoint")).isEqualTo("responses");
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(19);
  }

  @Test
  void aBedrockFunctionCallRoundTripsWithStreamedArguments() {
    List<ResponseStreamEvent> events =
        ResponsesSdk.events(
            client
                .responses()
                .createStreaming(
                    ask("bedrock-tools", "Weather in Paris?")
                        .addTool(ResponsesSdk.weatherTool())
                        .build()));
    assertThat(ResponsesSdk.streamedArguments(events)).contains("{\"city\": \"Paris\"}");
    ResponseFunctionToolCall call = ResponsesSdk.calls(ResponsesSdk.completed(events)).get(0);

    client.responses().create(ResponsesSdk.toolResult("bedrock", call, "{\"temperature\": 21}"));

    JsonNode messages = bedrock.lastReceived().body().get("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(1).toString()).contains("toolUse").contains(call.callId());
    assertThat(messages.get(2).toString()).contains("toolResult").contains("temperature");
  }
}
