package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.LogCapture;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAI-compatible client API end to end: the official OpenAI Java SDK calls the gateway over
 * HTTP, and the gateway calls a mock OpenAI upstream over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDKs' raw responses are read whole by parse(); streamed ones are closed where parsed.
@SuppressWarnings("MustBeClosedChecker")
class OpenAiApiTest extends GatewayOnMock {
  private LogCapture logs;
  private String key;
  private OpenAIClient openAi;
  private final List<String> secretsSeen = new ArrayList<>();

  @Override
  protected String database() {
    return "sqlite";
  }

  // The log is captured from before the start: nothing the gateway logs may hold a secret.
  @BeforeAll
  @Override
  protected void startGateway() throws Exception {
    logs = new LogCapture();
    super.startGateway();
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
    secretsSeen.add(key);
    openAi = gateway.openAi(key);
  }

  @AfterAll
  @Override
  protected void stopGateway() throws Exception {
    super.stopGateway();
    String logged = logs.text();
    logs.close();
    assertThat(logged).doesNotContain(Yaml.UPSTREAM_KEY).doesNotContain(TestGateway.MASTER_KEY);
    for (String secret : secretsSeen) {
      assertThat(logged).doesNotContain(secret);
    }
  }

  private static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
  }

  @Test
  void chatCompletionIsForwardedWithTheProvidersModelAndKey() {
    HttpResponseFor<ChatCompletion> response =
        openAi.chat().completions().withRawResponse().create(chat("gpt-4o"));
    ChatCompletion completion = response.parse();

    assertThat(completion.choices().get(0).message().content()).contains(MockUpstream.TEXT);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(12);
    assertThat(response.headers().values("X-Provider-Used")).containsExactly("mock/gpt-4o");
    assertThat(response.headers().values("X-Request-ID")).hasSize(1);
    MockUpstream.Received upstream = mock.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v1/chat/completions");
    assertThat(upstream.headers().get("authorization")).isEqualTo("Bearer " + Yaml.UPSTREAM_KEY);
    assertThat(upstream.body().path("model").asText()).isEqualTo("gpt-4o");
    assertThat(upstream.body().path("messages").get(0).path("content").asText())
        .isEqualTo("Say hello");
  }

  @Test
  void theCallersRequestIdIsEchoedAndLogged() throws Exception {
    HttpResponse<String> response =
        gateway.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gateway.clientUrl("/v1/chat/completions")))
                .header("Authorization", "Bearer " + key)
                .header("X-Request-ID", "my-trace-123"),
            "POST",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Request-ID")).hasValue("my-trace-123");
    Map<String, Object> row = RequestLogs.awaitRow(db, "my-trace-123");
    assertThat(row.get("model")).isEqualTo("gpt-4o");
    assertThat(row.get("provider")).isEqualTo("mock");
    assertThat(row.get("provider_model")).isEqualTo("gpt-4o");
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(200);
    assertThat(RequestLogs.number(row, "stream")).isZero();
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(12);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
    assertThat(row.get("virtual_key_id")).isNotNull();
    assertThat(row.get("ttfb_ms")).isNotNull();
    assertThat(row.get("error_type")).isNull();
  }

  @Test
  void streamChunksReachTheCallerBeforeTheUpstreamHasFinished() throws Exception {
    try (StreamResponse<ChatCompletionChunk> stream =
        openAi.chat().completions().createStreaming(chat("gated"))) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      // The mock holds everything after its first chunk until the gate opens.
      ChatCompletionChunk first = chunks.next();
      assertThat(first.choices().get(0).delta().content()).contains("Hello");
      mock.openGate();
      StringBuilder rest = new StringBuilder();
      chunks.forEachRemaining(
          chunk ->
              chunk.choices().forEach(choice -> choice.delta().content().ifPresent(rest::append)));
      assertThat("Hello" + rest).isEqualTo(MockUpstream.TEXT);
    }
  }

  @Test
  void streamUsageIsSentWhenAskedFor() {
    ChatCompletionCreateParams params =
        chat("gpt-4o").toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream =
        openAi.chat().completions().createStreaming(params)) {
      chunks = stream.stream().collect(Collectors.toList());
    }
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(12);
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(3);
  }

  @Test
  void streamUsageIsRecordedButNotShownWhenNotAskedFor() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    assertThat(response.body()).doesNotContain("\"prompt_tokens\"").endsWith("data: [DONE]\n\n");
    assertThat(mock.lastReceived().body().path("stream_options").path("include_usage").asBoolean())
        .as("the gateway asks the upstream for usage anyway")
        .isTrue();
    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(RequestLogs.number(row, "stream")).isEqualTo(1);
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(12);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
  }

  @Test
  void embeddingsAreForwarded() {
    CreateEmbeddingResponse response =
        openAi
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .input("hello")
                    .build());

    assertThat(response.data()).hasSize(1);
    assertThat(response.data().get(0).embedding()).containsExactly(0.1f, 0.2f, 0.3f);
    assertThat(mock.lastReceived().path()).isEqualTo("/v1/embeddings");
  }

  @Test
  void legacyCompletionsAreForwarded() {
    Completion completion =
        openAi
            .completions()
            .create(CompletionCreateParams.builder().model("gpt-4o").prompt("Say hello").build());

    assertThat(completion.choices().get(0).text()).isEqualTo(MockUpstream.TEXT);
    assertThat(mock.lastReceived().path()).isEqualTo("/v1/completions");
  }

  @Test
  void modelsListOnlyWhatTheKeyMayUse() throws Exception {
    JsonNode created =
        gateway.createKey("{\"name\":\"limited\",\"allowedModels\":[\"gpt-4o\",\"fail-*\"]}");
    OpenAIClient limited = gateway.openAi(created.get("key").asText());
    secretsSeen.add(created.get("key").asText());

    List<String> ids = limited.models().list().data().stream().map(Model::id).toList();
    assertThat(ids)
        .contains("gpt-4o", "fail-400", "fail-503")
        .doesNotContain("text-embedding-3-small", "gated");
    assertThat(limited.models().retrieve("gpt-4o").id()).isEqualTo("gpt-4o");
    assertThatThrownBy(() -> limited.models().retrieve("gated"))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> openAi.models().retrieve("no-such-model"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aModelTheKeyMayNotUseIs403() throws Exception {
    JsonNode created =
        gateway.createKey(
            "{\"name\":\"only-embeddings\"," + "\"allowedModels\":[\"text-embedding-3-small\"]}");
    secretsSeen.add(created.get("key").asText());

    assertThatThrownBy(
            () ->
                gateway
                    .openAi(created.get("key").asText())
                    .chat()
                    .completions()
                    .create(chat("gpt-4o")))
        .isInstanceOfSatisfying(
            PermissionDeniedException.class,
            e -> assertThat(e.code()).hasValue("model_not_allowed"));
  }

  @Test
  void anUnknownModelIs404ModelNotFound() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("no-such-model")))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
  }

  @Test
  void missingWrongRevokedAndDisabledKeysAre401() throws Exception {
    HttpResponse<String> missing =
        gateway.client(
            "POST", "/v1/chat/completions", null, "{\"model\":\"gpt-4o\",\"messages\":[]}");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(TestGateway.json(missing.body()).path("error").path("code").asText())
        .isEqualTo("missing_api_key");

    assertThatThrownBy(
            () ->
                gateway
                    .openAi("condt_notarealkeynotarealkeynotarealkey12345")
                    .chat()
                    .completions()
                    .create(chat("gpt-4o")))
        .isInstanceOfSatisfying(
            UnauthorizedException.class, e -> assertThat(e.code()).hasValue("invalid_api_key"));

    JsonNode revoked = gateway.createKey("{\"name\":\"to-revoke\"}");
    secretsSeen.add(revoked.get("key").asText());
    assertThat(
            gateway
                .admin("DELETE", "/api/admin/virtual-keys/" + revoked.get("id").asText(), null)
                .statusCode())
        .isEqualTo(200);
    assertThatThrownBy(
            () ->
                gateway
                    .openAi(revoked.get("key").asText())
                    .chat()
                    .completions()
                    .create(chat("gpt-4o")))
        .isInstanceOfSatisfying(
            UnauthorizedException.class, e -> assertThat(e.code()).hasValue("revoked_api_key"));

    JsonNode disabled = gateway.createKey("{\"name\":\"to-disable\"}");
    secretsSeen.add(disabled.get("key").asText());
    gateway.admin(
        "PATCH", "/api/admin/virtual-keys/" + disabled.get("id").asText(), "{\"enabled\":false}");
    assertThatThrownBy(
            () ->
                gateway
                    .openAi(disabled.get("key").asText())
                    .chat()
                    .completions()
                    .create(chat("gpt-4o")))
        .isInstanceOfSatisfying(
            UnauthorizedException.class, e -> assertThat(e.code()).hasValue("disabled_api_key"));
  }

  @Test
  void theKeyCanAlsoComeInXApiKey() throws Exception {
    HttpResponse<String> response =
        gateway.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gateway.clientUrl("/v1/models")))
                .header("X-API-Key", key),
            "GET",
            null);
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void malformedJsonAndMissingFieldsAre400() throws Exception {
    HttpResponse<String> malformed =
        gateway.client("POST", "/v1/chat/completions", key, "{\"model\": \"gpt-4o\", ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    JsonNode error = TestGateway.json(malformed.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_json");
    assertThat(error.has("param")).isTrue();

    HttpResponse<String> noMessages =
        gateway.client("POST", "/v1/chat/completions", key, "{\"model\":\"gpt-4o\"}");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(noMessages.body()).path("error").path("param").asText())
        .isEqualTo("messages");

    HttpResponse<String> noModel =
        gateway.client("POST", "/v1/embeddings", key, "{\"input\":\"x\"}");
    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(noModel.body()).path("error").path("param").asText())
        .isEqualTo("model");

    HttpResponse<String> wrongType =
        gateway.client("POST", "/v1/chat/completions", key, "{\"model\":42,\"messages\":[]}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
  }

  @Test
  void anUnreachableUpstreamIs502() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("unreachable")))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(502);
              assertThat(e.code()).hasValue("upstream_unreachable");
            });
  }

  @Test
  void anUpstreamThatDoesNotAnswerInTimeIs504() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("slow")))
        .isInstanceOfSatisfying(
            OpenAIServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(504);
              assertThat(e.code()).hasValue("upstream_timeout");
            });
  }

  @Test
  void invalidUpstreamResponsesAre502() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("invalid-json")))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(502);
              assertThat(e.code()).hasValue("upstream_invalid_response");
            });
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("html-error")))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(502);
              assertThat(e.getMessage()).contains("502 Bad Gateway");
            });
  }

  @Test
  void upstreamClientErrorsPassThroughWithTheirStatusAndMessage() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("fail-400")))
        .isInstanceOfSatisfying(
            OpenAIServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.code()).hasValue("mock_400");
              assertThat(e.getMessage()).contains("mock 400");
            });
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("fail-422")))
        .isInstanceOfSatisfying(
            OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(422));
  }

  @Test
  void theUpstreamRejectingTheGatewaysOwnKeyIsNotBlamedOnTheCaller() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("fail-401")))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(502);
              assertThat(e.code()).hasValue("upstream_auth_failed");
              assertThat(e.getMessage()).doesNotContain(Yaml.UPSTREAM_KEY);
            });
  }

  @Test
  void aProviderWhoseKeyVariableIsUnsetAnswers503NamingIt() {
    assertThatThrownBy(() -> openAi.chat().completions().create(chat("unconfigured")))
        .isInstanceOfSatisfying(
            OpenAIServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.getMessage()).contains("CONDUIT_TEST_UNSET_KEY");
            });
  }

  @Test
  void aFailedDeploymentFallsThroughToTheNextBeforeAnythingIsSent() {
    HttpResponseFor<ChatCompletion> response =
        openAi.chat().completions().withRawResponse().create(chat("failover"));

    assertThat(response.parse().choices().get(0).message().content()).contains(MockUpstream.TEXT);
    assertThat(response.headers().values("X-Provider-Used")).containsExactly("mock/gpt-4o");
    assertThat(response.headers().values("X-Conduit-Attempts")).containsExactly("2");
  }

  @Test
  void aStreamCutMidwayEndsWithAnErrorEventAndIsLoggedAsFailed() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"cut-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"content\":\"Hello\"")
        .contains("\"code\":\"upstream_invalid_response\"")
        .doesNotContain("[DONE]");
    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(row.get("error_type")).isEqualTo("upstream_invalid_response");
  }

  @Test
  void aStreamWithoutItsDoneEventIsReportedIncomplete() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"no-done\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}");

    assertThat(response.body())
        .contains("\"finish_reason\":\"stop\"")
        .contains("without its final [DONE]");
  }

  @Test
  void anUpstreamErrorEventReachesTheSdkAndTheLog() throws Exception {
    String requestId;
    try (StreamResponse<ChatCompletionChunk> stream =
        openAi.chat().completions().createStreaming(chat("error-stream"))) {
      assertThatThrownBy(() -> stream.stream().forEach(chunk -> {}))
          .hasMessageContaining("mock stream failure");
    }
    HttpResponse<String> raw =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"error-stream\",\"stream\":true,\"messages\":[]}");
    requestId = raw.headers().firstValue("X-Request-ID").orElseThrow();
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId);
    assertThat(row.get("error_type")).isEqualTo("mock_stream");
  }

  @Test
  void whenTheCallerLeavesTheUpstreamCallIsCancelled() throws Exception {
    StreamResponse<ChatCompletionChunk> stream =
        openAi.chat().completions().createStreaming(chat("gated"));
    Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
    assertThat(chunks.next().choices()).isNotEmpty();

    stream.close();

    mock.connectionClosed("gated").get(30, TimeUnit.SECONDS);
  }

  @Test
  void unknownPathsAndWrongMethodsAnswerInTheErrorShape() throws Exception {
    HttpResponse<String> unknown = gateway.client("GET", "/v1/nothing-here", key, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestGateway.json(unknown.body()).path("error").path("message").asText())
        .contains("/v1/nothing-here");
    HttpResponse<String> wrongMethod = gateway.client("GET", "/v1/chat/completions", key, null);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }
}
