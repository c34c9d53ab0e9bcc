package dev.conduit.api.openai.responses;

import static dev.conduit.api.openai.responses.ResponsesSdk.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Stored responses on both databases: a {@code previous_response_id} continuation sends the earlier
 * turns to a provider without a Responses API (here an OpenAI-compatible {@code groq} provider,
 * reached through Chat Completions), only the key that stored a response may continue, read or
 * delete it, {@code store: false} stores nothing, and a response expires after its time to live (a
 * clock the test moves).
 */
// Streams are read whole and closed by ResponsesSdk.events.
@SuppressWarnings("MustBeClosedChecker")
class StoredResponsesTest {
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnSqlite extends Cases {
    @Override
    protected String database() {
      return "sqlite";
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnPostgres extends Cases {
    @Override
    protected String database() {
      return "postgresql";
    }
  }

  abstract static class Cases extends GatewayOnMock {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
    private OpenAIClient client;
    private OpenAIClient other;

    @Override
    protected Clock clock() {
      return clock;
    }

    @Override
    protected String yaml() {
      return Yaml.withMock(mock, db.url(), null)
              .replace(
                  "models:\n",
                  "  - name: compatible\n    type: groq\n    baseUrl: "
                      + mock.baseUrl()
                      + "\n    apiKey: sk-test-compatible-secret-0123456789\nmodels:\n")
          + "  - alias: translated\n    deployments:\n      - { provider: compatible, model: gpt-4o }\n"
          + "  - alias: translated-tools\n    deployments:\n"
          + "      - { provider: compatible, model: tool-call }\n";
    }

    @Override
    protected void started() throws Exception {
      client = gateway.openAi(gateway.newKey());
      other = gateway.openAi(gateway.newKey());
    }

    @Test
    void aContinuationSendsTheEarlierTurnsUpstream() {
      Response first =
          client
              .responses()
              .create(ask("translated", "My name is Ada.").instructions("Be brief.").build());
      client
          .responses()
          .create(ask("translated", "What is my name?").previousResponseId(first.id()).build());

      JsonNode messages = mock.lastReceived().body().get("messages");
      assertThat(mock.lastReceived().path()).isEqualTo("/v1/chat/completions");
      assertThat(messages).hasSize(3); // instructions are not carried over, as OpenAI does
      assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
      assertThat(messages.get(0).get("content").toString()).contains("My name is Ada.");
      assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
      assertThat(messages.get(1).get("content").toString()).contains(MockUpstream.TEXT);
      assertThat(messages.get(2).get("content").toString()).contains("What is my name?");
    }

    @Test
    void aConversationMovesToAPassThroughProviderWithItsTurnsAsInput() {
      Response first = client.responses().create(ask("translated", "My name is Ada.").build());
      client
          .responses()
          .create(ask("gpt-4o", "What is my name?").previousResponseId(first.id()).build());

      MockUpstream.Received sent = mock.lastReceived();
      assertThat(sent.path()).isEqualTo("/v1/responses");
      assertThat(sent.body().has("previous_response_id")).isFalse();
      JsonNode input = sent.body().get("input");
      assertThat(input).hasSize(3);
      assertThat(input.get(0).toString()).contains("My name is Ada.");
      assertThat(input.get(1).get("role").asText()).isEqualTo("assistant");
      assertThat(input.get(1).toString()).contains(MockUpstream.TEXT);
      assertThat(input.get(1).has("id")).isFalse();
      assertThat(input.get(2).toString()).contains("What is my name?");
    }

    @Test
    void aPassThroughAnswerCanBeContinuedOnATranslatedProvider() {
      Response first = client.responses().create(ask("gpt-4o", "My name is Ada.").build());
      assertThat(mock.lastReceived().path()).isEqualTo("/v1/responses");

      client
          .responses()
          .create(ask("translated", "What is my name?").previousResponseId(first.id()).build());

      JsonNode messages = mock.lastReceived().body().get("messages");
      assertThat(messages).hasSize(3);
      assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
      assertThat(messages.get(1).get("content").toString()).contains(MockUpstream.TEXT);
    }

    @Test
    void aStreamedAnswerIsStoredToo() {
      Response completed =
          ResponsesSdk.completed(
              ResponsesSdk.events(
                  client.responses().createStreaming(ask("translated", "Stream it.").build())));

      assertThat(ResponsesSdk.text(client.responses().retrieve(completed.id())))
          .isEqualTo(MockUpstream.TEXT);
      client
          .responses()
          .create(ask("translated", "And now?").previousResponseId(completed.id()).build());
      assertThat(mock.lastReceived().body().get("messages")).hasSize(3);
    }

    @Test
    void aFunctionCallIsAnsweredByAContinuationWithItsOutput() {
      Response first =
          client
              .responses()
              .create(
                  ask("translated-tools", "Weather in Paris?")
                      .addTool(ResponsesSdk.weatherTool())
                      .build());
      String callId = ResponsesSdk.calls(first).get(0).callId();
      client
          .responses()
          .create(
              ResponseCreateParams.builder()
                  .model("translated-tools")
                  .addTool(ResponsesSdk.weatherTool())
                  .previousResponseId(first.id())
                  .inputOfResponse(
                      List.of(
                          ResponseInputItem.ofFunctionCallOutput(
                              ResponseInputItem.FunctionCallOutput.builder()
                                  .callId(callId)
                                  .output("{\"temperature\": 21}")
                                  .build())))
                  .build());

      JsonNode messages = mock.lastReceived().body().get("messages");
      assertThat(messages.get(1).get("tool_calls")).hasSize(2);
      assertThat(messages.get(1).get("tool_calls").get(0).get("id").asText()).isEqualTo(callId);
      assertThat(messages.get(2).get("role").asText()).isEqualTo("tool");
      assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo(callId);
      assertThat(messages.get(2).get("content").toString()).contains("temperature");
    }

    @Test
    void anotherKeyCannotContinueReadOrDeleteAResponse() throws Exception {
      Response mine = client.responses().create(ask("translated", "Secret.").build());

      assertThatThrownBy(() -> other.responses().retrieve(mine.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(
              () ->
                  other
                      .responses()
                      .create(ask("translated", "Go on.").previousResponseId(mine.id()).build()))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("Previous response with id");
      assertThatThrownBy(() -> other.responses().delete(mine.id()))
          .isInstanceOf(NotFoundException.class);
      assertThat(client.responses().retrieve(mine.id()).id()).isEqualTo(mine.id());
    }

    @Test
    void storeFalseStoresNothing() {
      Response unstored =
          client.responses().create(ask("translated", "Forget this.").store(false).build());

      assertThat(ResponsesSdk.text(unstored)).isEqualTo(MockUpstream.TEXT);
      assertThatThrownBy(() -> client.responses().retrieve(unstored.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(
              () ->
                  client
                      .responses()
                      .create(
                          ask("translated", "Go on.").previousResponseId(unstored.id()).build()))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aDeletedResponseIsGone() throws Exception {
      Response response = client.responses().create(ask("translated", "Delete me.").build());

      client.responses().delete(response.id());

      assertThatThrownBy(() -> client.responses().retrieve(response.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> client.responses().delete(response.id()))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aResponseExpiresAfterItsTimeToLive() throws Exception {
      Response response = client.responses().create(ask("translated", "Short-lived.").build());
      clock.advance(ResponsesStore.DEFAULT_TTL.minus(Duration.ofMinutes(1)));
      assertThat(client.responses().retrieve(response.id()).id()).isEqualTo(response.id());

      clock.advance(Duration.ofMinutes(2));

      assertThatThrownBy(() -> client.responses().retrieve(response.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(
              () ->
                  client
                      .responses()
                      .create(
                          ask("translated", "Go on.").previousResponseId(response.id()).build()))
          .isInstanceOf(NotFoundException.class);
      client.responses().create(ask("translated", "Another one.").build());
      Eventually.await(
          "the expired response to be deleted", () -> rows(response.id()), count -> count == 0);
    }

    @Test
    void aStoredResponseCannotBeCancelledAndAnotherKeysIsNotFound() throws Exception {
      String key = gateway.newKey();
      Response response =
          gateway.openAi(key).responses().create(ask("translated", "Cancel me.").build());

      HttpResponse<String> cancelled =
          gateway.client("POST", "/v1/responses/" + response.id() + "/cancel", key, "{}");
      HttpResponse<String> notMine =
          gateway.client(
              "POST", "/v1/responses/" + response.id() + "/cancel", gateway.newKey(), "{}");

      assertThat(cancelled.statusCode()).isEqualTo(400);
      assertThat(cancelled.body()).contains("Only background responses can be cancelled");
      assertThat(notMine.statusCode()).isEqualTo(404);
    }

    private long rows(String id) throws Exception {
      try (Connection connection = db.connect();
          PreparedStatement select =
              connection.prepareStatement("SELECT count(*) FROM stored_responses WHERE id = ?")) {
        select.setString(1, id);
        try (ResultSet result = select.executeQuery()) {
          result.next();
          return result.getLong(1);
        }
      }
    }

    @Test
    void aBuiltInToolOnAProviderWithoutItIsRefusedNamingTheTool() throws Exception {
      String key = gateway.newKey();
      HttpResponse<String> refused =
          gateway.client(
              "POST",
              "/v1/responses",
              key,
              "{\"model\":\"translated\",\"input\":\"Search the web.\","
                  + "\"tools\":[{\"type\":\"web_search\"}]}");

      assertThat(refused.statusCode()).isEqualTo(400);
      JsonNode error = TestGateway.json(refused.body()).get("error");
      assertThat(error.get("message").asText()).contains("'web_search'");
      assertThat(error.get("param").asText()).isEqualTo("tools[0].type");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    }
  }
}
