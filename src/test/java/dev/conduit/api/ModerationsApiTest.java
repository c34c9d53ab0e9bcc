package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /v1/moderations} with the official OpenAI SDK as the client: forwarded to OpenAI and
 * Azure OpenAI with only the model rewritten, admitted and logged like any call, free unless a
 * price row says otherwise; other providers answer a clear 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("MustBeClosedChecker")
class ModerationsApiTest {
  private static final String OPENAI_KEY = "sk-test-upstream-secret-0123456789";
  private static final String AZURE_KEY = "azure-test-upstream-secret-0123456789";

  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;

  @BeforeAll
  void start() throws Exception {
    mock = new MockUpstream();
    db = TestDatabases.sqlite();
    gateway =
        TestGateway.start(
            """
        server:
          eventLoops: 1
        database:
          url: "%1$s"
        requestLog:
          batchSize: 50
        routing:
          healthCheckIntervalMs: 0
        providers:
          - name: openai
            type: openai
            baseUrl: %2$s/v1
            apiKey: %3$s
          - name: azure
            type: azure
            baseUrl: %2$s
            apiKey: %4$s
          - name: groq
            type: groq
            baseUrl: %2$s/v1
            apiKey: %3$s
        models:
          - alias: omni-moderation-latest
            deployments: [{ provider: openai, model: omni-moderation-2024-09-26 }]
          - alias: azure-moderation
            deployments: [{ provider: azure, model: moderation-deployment }]
          - alias: priced-moderation
            deployments: [{ provider: openai, model: priced-moderation }]
          - alias: groq-moderation
            deployments: [{ provider: groq, model: llama-guard }]
          - alias: gpt-4o
            deployments: [{ provider: openai, model: gpt-4o }]
        """
                .formatted(db.url(), "http://127.0.0.1:" + mock.port(), OPENAI_KEY, AZURE_KEY));
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    mock.close();
    db.close();
  }

  private static ModerationCreateParams moderate(String model) {
    return ModerationCreateParams.builder().model(model).input("I will hurt them.").build();
  }

  @Test
  void openAiModerationIsForwardedWithTheModelRewrittenAndLoggedFree() throws Exception {
    // A key with a budget: unpriced moderation models are free, not refused as unpriced.
    String key = gateway.createKey("{\"name\":\"mod\",\"maxBudget\":1}").get("key").asText();
    OpenAIClient client = gateway.openAi(key);

    HttpResponseFor<ModerationCreateResponse> response =
        client.moderations().withRawResponse().create(moderate("omni-moderation-latest"));

    ModerationCreateResponse moderation = response.parse();
    assertThat(moderation.results()).hasSize(1);
    assertThat(moderation.results().get(0).flagged()).isTrue();
    assertThat(moderation.results().get(0).categories().violence()).isTrue();
    assertThat(moderation.results().get(0).categoryScores().violence()).isEqualTo(0.97);
    assertThat(response.headers().values("X-Provider-Used"))
        .containsExactly("openai/omni-moderation-2024-09-26");
    MockUpstream.Received upstream = mock.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v1/moderations");
    assertThat(upstream.body().path("model").asText()).isEqualTo("omni-moderation-2024-09-26");
    assertThat(upstream.body().path("input").asText()).isEqualTo("I will hurt them.");
    assertThat(upstream.headers().get("authorization")).isEqualTo("Bearer " + OPENAI_KEY);

    String requestId = response.headers().values("X-Request-ID").get(0);
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId);
    assertThat(row.get("endpoint")).isEqualTo("moderations");
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(200);
    assertThat(row.get("provider")).isEqualTo("openai");
    assertThat(RequestLogs.number(row, "cost_nanos")).isZero();
  }

  @Test
  void azureModerationGoesToTheDeploymentWithTheApiKeyHeader() throws Exception {
    ModerationCreateResponse moderation =
        gateway.openAi(gateway.newKey()).moderations().create(moderate("azure-moderation"));

    assertThat(moderation.results().get(0).flagged()).isTrue();
    MockUpstream.Received upstream = mock.lastReceived();
    assertThat(upstream.path()).isEqualTo("/openai/deployments/moderation-deployment/moderations");
    assertThat(upstream.query()).startsWith("api-version=");
    assertThat(upstream.headers().get("api-key")).isEqualTo(AZURE_KEY);
    assertThat(upstream.headers()).doesNotContainKey("authorization");
  }

  @Test
  void aPriceRowWithAPerRequestChargeIsCharged() throws Exception {
    var created =
        gateway.admin(
            "POST",
            "/api/admin/model-costs",
            "{\"provider\":\"openai\",\"model\":\"priced-moderation\",\"inputPerMillion\":0,"
                + "\"outputPerMillion\":0,\"perRequest\":0.001}");
    assertThat(created.statusCode()).isEqualTo(201);

    HttpResponseFor<ModerationCreateResponse> response =
        gateway
            .openAi(gateway.newKey())
            .moderations()
            .withRawResponse()
            .create(moderate("priced-moderation"));

    assertThat(response.parse().results()).hasSize(1);
    assertThat(new BigDecimal(response.headers().values("X-Conduit-Cost").get(0)))
        .isEqualByComparingTo("0.001");
    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().values("X-Request-ID").get(0));
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(1_000_000L);
  }

  @Test
  void aProviderWithoutModerationsAnswersAClearError() throws Exception {
    assertThatThrownBy(
            () ->
                gateway.openAi(gateway.newKey()).moderations().create(moderate("groq-moderation")))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).hasValue("unsupported_provider");
              assertThat(e.getMessage()).contains("cannot serve moderations");
            });
  }

  @Test
  void theKeysAllowedModelsApply() throws Exception {
    String key =
        gateway
            .createKey("{\"name\":\"chat-only\",\"allowedModels\":[\"gpt-4o\"]}")
            .get("key")
            .asText();

    assertThatThrownBy(
            () -> gateway.openAi(key).moderations().create(moderate("omni-moderation-latest")))
        .isInstanceOfSatisfying(
            PermissionDeniedException.class,
            e -> assertThat(e.code()).hasValue("model_not_allowed"));
  }

  @Test
  void inputIsRequired() throws Exception {
    var response =
        gateway.client(
            "POST", "/v1/moderations", gateway.newKey(), "{\"model\":\"omni-moderation-latest\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(response.body()).path("error").path("param").asText())
        .isEqualTo("input");
  }
}
