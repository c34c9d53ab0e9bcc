package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same persistence behaviour on the embedded SQLite default and on PostgreSQL. */
// The SDKs' raw responses are read whole by parse(); streamed ones are closed where parsed.
@SuppressWarnings("MustBeClosedChecker")
class PersistenceTest {
  private MockUpstream mock;

  @BeforeEach
  void startMock() throws Exception {
    mock = new MockUpstream();
  }

  @AfterEach
  void stopMock() throws Exception {
    mock.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void eachRequestLeavesOneCompleteLogRow(String kind) throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.create(kind);
        TestGateway gateway = TestGateway.start(Yaml.withMock(mock, db.url(), null))) {
      JsonNode key = gateway.createKey("{\"name\":\"logger\"}");
      var response =
          gateway
              .openAi(key.get("key").asText())
              .chat()
              .completions()
              .withRawResponse()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("gpt-4o")
                      .addUserMessage("hi")
                      .build());
      String requestId = response.headers().values("X-Request-ID").get(0);

      Map<String, Object> row = RequestLogs.awaitRow(db, requestId);

      assertThat(row.get("id")).isNotNull();
      assertThat(row.get("timestamp")).isNotNull();
      assertThat(row.get("virtual_key_id")).isEqualTo(key.get("id").asText());
      assertThat(row.get("endpoint")).isEqualTo("chat_completions");
      assertThat(row.get("model")).isEqualTo("gpt-4o");
      assertThat(row.get("provider")).isEqualTo("mock");
      assertThat(row.get("provider_model")).isEqualTo("gpt-4o");
      assertThat(RequestLogs.number(row, "status_code")).isEqualTo(200);
      assertThat(RequestLogs.number(row, "stream")).isZero();
      assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(12);
      assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(3);
      assertThat(RequestLogs.number(row, "latency_ms")).isNotNegative();
      assertThat(RequestLogs.number(row, "ttfb_ms")).isNotNegative();
      assertThat(RequestLogs.number(row, "attempts")).isEqualTo(1);
      assertThat(row.get("error_type")).isNull();

      HttpResponse<String> failed =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              key.get("key").asText(),
              "{\"model\":\"fail-400\",\"messages\":[]}");
      Map<String, Object> failedRow =
          RequestLogs.awaitRow(db, failed.headers().firstValue("X-Request-ID").orElseThrow());
      assertThat(RequestLogs.number(failedRow, "status_code")).isEqualTo(400);
      assertThat(failedRow.get("error_type")).isEqualTo("mock_400");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void virtualKeysSurviveARestartAndOnlyTheirHashIsStored(String kind) throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.create(kind)) {
      String yaml = Yaml.withMock(mock, db.url(), null);
      String secret;
      String revokedSecret;
      try (TestGateway first = TestGateway.start(yaml)) {
        secret =
            first
                .createKey(
                    "{\"name\":\"persistent\",\"allowedModels\":[\"gpt-*\"],"
                        + "\"metadata\":{\"team\":\"search\"}}")
                .get("key")
                .asText();
        JsonNode revoked = first.createKey("{\"name\":\"gone\"}");
        revokedSecret = revoked.get("key").asText();
        first.admin("DELETE", "/api/admin/virtual-keys/" + revoked.get("id").asText(), null);
      }
      try (TestGateway second = TestGateway.start(yaml)) {
        assertThat(second.client("GET", "/v1/models", secret, null).statusCode()).isEqualTo(200);
        assertThat(second.client("GET", "/v1/models", revokedSecret, null).statusCode())
            .isEqualTo(401);
        JsonNode listed =
            TestGateway.json(second.admin("GET", "/api/admin/virtual-keys", null).body())
                .path("data");
        JsonNode persistent = null;
        for (JsonNode item : listed) {
          if (item.path("name").asText().equals("persistent")) {
            persistent = item;
          }
        }
        assertThat(persistent).isNotNull();
        assertThat(persistent.path("allowedModels").get(0).asText()).isEqualTo("gpt-*");
        assertThat(persistent.path("metadata").path("team").asText()).isEqualTo("search");
      }
      try (var connection = db.connect();
          var rows = connection.createStatement().executeQuery("SELECT * FROM virtual_keys")) {
        while (rows.next()) {
          for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
            assertThat(String.valueOf(rows.getObject(i)))
                .doesNotContain(secret)
                .doesNotContain(revokedSecret);
          }
        }
      }
    }
  }
}
