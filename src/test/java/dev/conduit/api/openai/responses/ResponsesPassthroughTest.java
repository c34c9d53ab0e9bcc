package dev.conduit.api.openai.responses;

import static dev.conduit.api.openai.responses.ResponsesSdk.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.Yaml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /v1/responses} on OpenAI and Azure deployments: the same-protocol fast path. The body goes
 * upstream with only the model rewritten, the answer comes back as the upstream sent it, and usage
 * is read from it ({@code usage}, or {@code response.completed} in a stream) for the request log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDK's raw responses are read whole by parse().
@SuppressWarnings("MustBeClosedChecker")
class ResponsesPassthroughTest extends GatewayOnMock {
  private OpenAIClient client;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String yaml() {
    return Yaml.withMock(mock, db.url(), null)
            .replace(
                "models:\n",
                "  - name: azure\n    type: azure\n    baseUrl: http://127.0.0.1:"
                    + mock.port()
                    + "\n    apiKey: azure-test-upstream-secret-0123456789\n    apiVersion:"
                    + " 2025-04-01-preview\n  - name: sim\n    type: simulated\nmodels:\n")
        + Yaml.alias("responder", "gpt-4o-upstream")
        + Yaml.alias("tool-call", "tool-call")
        + "  - alias: demo\n    deployments:\n      - { provider: sim, model: conduit-sim-1 }\n"
        + "  - alias: on-azure\n    deployments:\n      - { provider: azure, model: my-deployment }\n";
  }

  @Override
  protected void started() throws Exception {
    client = gateway.openAi(gateway.newKey());
  }

  @Test
  void aResponseGoesThroughWithTheModelRewrittenAndItsUsageLogged() throws Exception {
    HttpResponseFor<Response> raw =
        client.responses().withRawResponse().create(ask("responder", "Say hello").build());
    Response response = raw.parse();

    assertThat(ResponsesSdk.text(response)).isEqualTo(MockUpstream.TEXT);
    assertThat(response.id()).startsWith("resp_mock");
    MockUpstream.Received sent = mock.lastReceived();
    assertThat(sent.path()).isEqualTo("/v1/responses");
    assertThat(sent.body().get("model").asText()).isEqualTo("gpt-4o-upstream");
    assertThat(sent.body().get("input").asText()).isEqualTo("Say hello");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + Yaml.UPSTREAM_KEY);
    Map<String, Object> row = RequestLogs.awaitRow(db, raw.headers().values("X-Request-ID").get(0));
    assertThat(row.get("endpoint")).isEqualTo("responses");
    assertThat(row.get("model")).isEqualTo("responder");
    assertThat(row.get("provider_model")).isEqualTo("gpt-4o-upstream");
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(200);
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(12);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
    assertThat(RequestLogs.number(row, "cached_tokens")).isEqualTo(5);
    assertThat(RequestLogs.number(row, "stream")).isZero();
  }

  @Test
  void aStreamIsForwardedEventByEventAndItsUsageReadFromResponseCompleted() throws Exception {
    HttpResponseFor<StreamResponse<ResponseStreamEvent>> raw =
        client.responses().withRawResponse().createStreaming(ask("responder", "Say hello").build());
    List<ResponseStreamEvent> events = ResponsesSdk.events(raw.parse());

    assertThat(ResponsesSdk.streamedText(events)).isEqualTo(MockUpstream.TEXT);
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
    assertThat(completed.usage().orElseThrow().outputTokensDetails().reasoningTokens())
        .isEqualTo(2);
    assertThat(mock.lastReceived().body().get("model").asText()).isEqualTo("gpt-4o-upstream");
    assertThat(mock.lastReceived().body().get("stream").asBoolean()).isTrue();
    Map<String, Object> row = RequestLogs.awaitRow(db, raw.headers().values("X-Request-ID").get(0));
    assertThat(row.get("endpoint")).isEqualTo("responses");
    assertThat(RequestLogs.number(row, "stream")).isEqualTo(1);
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(12);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
  }

  @Test
  void aStreamedFunctionCallKeepsItsArgumentPieces() {
    List<ResponseStreamEvent> events =
        ResponsesSdk.events(
            client
                .responses()
                .createStreaming(
                    ask("tool-call", "Weather in Paris?")
                        .addTool(ResponsesSdk.weatherTool())
                        .build()));

    assertThat(ResponsesSdk.streamedArguments(events)).isEqualTo("{\"city\": \"Paris\"}");
    assertThat(ResponsesSdk.calls(ResponsesSdk.completed(events)).get(0).name())
        .isEqualTo("get_weather");
    assertThat(mock.lastReceived().body().get("tools").get(0).get("name").asText())
        .isEqualTo("get_weather");
  }

  @Test
  void aContinuationOfTheSameProviderKeepsItsPreviousResponseIdAndTheAnswerCanBeRetrieved() {
    Response first = client.responses().create(ask("responder", "Say hello").build());
    Response second =
        client.responses().create(ask("responder", "Again").previousResponseId(first.id()).build());

    assertThat(mock.lastReceived().body().get("previous_response_id").asText())
        .isEqualTo(first.id());
    assertThat(mock.lastReceived().body().get("input").asText()).isEqualTo("Again");
    assertThat(client.responses().retrieve(second.id()).id()).isEqualTo(second.id());
    assertThat(ResponsesSdk.text(client.responses().retrieve(first.id())))
        .isEqualTo(MockUpstream.TEXT);
  }

  @Test
  void azureIsAddressedByResourceWithItsApiVersionAndKeyHeader() throws Exception {
    Response response = client.responses().create(ask("on-azure", "Say hello").build());

    assertThat(ResponsesSdk.text(response)).isEqualTo(MockUpstream.TEXT);
    MockUpstream.Received sent = mock.lastReceived();
    assertThat(sent.path()).isEqualTo("/openai/responses");
    assertThat(sent.query()).isEqualTo("api-version=2025-04-01-preview");
    assertThat(sent.headers().get("api-key")).isEqualTo("azure-test-upstream-secret-0123456789");
    assertThat(sent.body().get("model").asText()).isEqualTo("my-deployment");
  }

  @Test
  void aFailingDeploymentFallsOverToTheNext() {
    HttpResponseFor<Response> raw =
        client.responses().withRawResponse().create(ask("failover", "Say hello").build());

    assertThat(ResponsesSdk.text(raw.parse())).isEqualTo(MockUpstream.TEXT);
    assertThat(raw.headers().values("X-Conduit-Attempts")).containsExactly("2");
    assertThat(raw.headers().values("X-Provider-Used")).containsExactly("mock/gpt-4o");
  }

  @Test
  void aKeyIsAdmittedOnlyToItsModels() throws Exception {
    String limited =
        gateway
            .createKey("{\"name\":\"limited\",\"allowedModels\":[\"gpt-4o\"]}")
            .get("key")
            .asText();

    assertThatThrownBy(
            () -> gateway.openAi(limited).responses().create(ask("responder", "Hi").build()))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("not allowed to use model 'responder'");
  }

  @Test
  void theSimulatedProviderAnswersThroughTheTranslation() {
    Response response = client.responses().create(ask("demo", "Say hello").build());
    List<ResponseStreamEvent> events =
        ResponsesSdk.events(client.responses().createStreaming(ask("demo", "Say hello").build()));

    assertThat(response.id()).startsWith("resp_").doesNotStartWith("resp_mock");
    assertThat(ResponsesSdk.text(response)).contains("You said: \"Say hello\"");
    assertThat(ResponsesSdk.streamedText(events)).contains("You said: \"Say hello\"");
    assertThat(ResponsesSdk.completed(events).usage().orElseThrow().outputTokens()).isPositive();
  }
}
