package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAI Java SDK calling aliases served by Azure OpenAI. Azure speaks OpenAI's protocol, so
 * the pass-through fast path is taken; only the URL (deployment, api-version) and the key header
 * differ, which is what the mock checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDKs' raw responses are read whole by parse(); streamed ones are closed where parsed.
@SuppressWarnings("MustBeClosedChecker")
class AzureBackedOpenAiTest {
  private static final String AZURE_KEY = "azure-test-upstream-secret-0123456789";

  private MockUpstream azure;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private OpenAIClient client;

  @BeforeAll
  void start() throws Exception {
    azure = new MockUpstream();
    db = TestDatabases.sqlite();
    String resource = "http://127.0.0.1:" + azure.port();
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
          - name: azure
            type: azure
            baseUrl: %s
            apiKey: %s
          - name: azure-v1
            type: azure
            baseUrl: %s
            apiKey: %s
            apiVersion: v1
        models:
          - alias: gpt-4o
            deployments: [{ provider: azure, model: gpt-4o }]
          - alias: tools
            deployments: [{ provider: azure, model: tool-call }]
          - alias: embed
            deployments: [{ provider: azure, model: text-embedding-3-small }]
          - alias: v1
            deployments: [{ provider: azure-v1, model: gpt-4o }]
        """
                .formatted(db.url(), resource, AZURE_KEY, resource, AZURE_KEY));
    client = gateway.openAi(gateway.newKey());
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    azure.close();
    db.close();
  }

  private static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
  }

  @Test
  void chatGoesToTheDeploymentUrlWithTheApiKeyHeader() {
    HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(chat("gpt-4o"));

    assertThat(response.parse().choices().get(0).message().content()).hasValue(MockUpstream.TEXT);
    assertThat(response.headers().values("X-Provider-Used")).containsExactly("azure/gpt-4o");
    MockUpstream.Received upstream = azure.lastReceived();
    assertThat(upstream.path()).isEqualTo("/openai/deployments/gpt-4o/chat/completions");
    assertThat(upstream.query()).isEqualTo("api-version=2024-10-21");
    assertThat(upstream.headers().get("api-key")).isEqualTo(AZURE_KEY);
    assertThat(upstream.headers()).doesNotContainKey("authorization");
  }

  @Test
  void streamsPassThroughAndUsageIsRecordedEvenWhenNotAskedFor() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            gateway.newKey(),
            "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"content\":\" mock\"")
        .doesNotContain("prompt_tokens")
        .endsWith("data: [DONE]\n\n");
    assertThat(azure.lastReceived().body().path("stream_options").path("include_usage").asBoolean())
        .isTrue();
    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(12);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
  }

  @Test
  void toolCallsWholeAndStreamed() {
    ChatCompletionCreateParams params =
        chat("tools").toBuilder()
            .addTool(
                ChatCompletionFunctionTool.builder()
                    .function(
                        FunctionDefinition.builder()
                            .name("get_weather")
                            .parameters(
                                FunctionParameters.builder()
                                    .putAdditionalProperty("type", JsonValue.from("object"))
                                    .build())
                            .build())
                    .build())
            .build();
    List<ChatCompletionMessageFunctionToolCall> whole =
        client
            .chat()
            .completions()
            .create(params)
            .choices()
            .get(0)
            .message()
            .toolCalls()
            .orElseThrow()
            .stream()
            .map(call -> call.asFunction())
            .toList();
    assertThat(whole)
        .extracting(call -> call.function().name())
        .containsExactly("get_weather", "get_time");

    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    List<ChatCompletionMessageFunctionToolCall> streamed =
        accumulator.chatCompletion().choices().get(0).message().toolCalls().orElseThrow().stream()
            .map(call -> call.asFunction())
            .toList();
    assertThat(streamed.get(0).function().arguments()).isEqualTo("{\"city\": \"Paris\"}");
    assertThat(streamed.get(1).function().arguments()).isEqualTo("{\"zone\": \"CET\"}");
    assertThat(azure.lastReceived().path())
        .isEqualTo("/openai/deployments/tool-call/chat/completions");
  }

  @Test
  void embeddingsGoToTheDeploymentsEmbeddingsUrl() {
    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(EmbeddingCreateParams.builder().model("embed").input("hello").build());

    assertThat(response.data()).hasSize(1);
    assertThat(azure.lastReceived().path())
        .isEqualTo("/openai/deployments/text-embedding-3-small/embeddings");
    assertThat(azure.lastReceived().query()).isEqualTo("api-version=2024-10-21");
  }

  @Test
  void theV1ApiNeedsNoApiVersion() {
    assertThat(client.chat().completions().create(chat("v1")).choices()).hasSize(1);

    assertThat(azure.lastReceived().path()).isEqualTo("/openai/v1/chat/completions");
    assertThat(azure.lastReceived().query()).isNull();
    assertThat(azure.lastReceived().body().path("model").asText()).isEqualTo("gpt-4o");
  }
}
