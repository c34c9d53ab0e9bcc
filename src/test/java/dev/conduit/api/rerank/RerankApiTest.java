package dev.conduit.api.rerank;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /v1/rerank} end to end over plain HTTP (no official SDK has rerank), against the mock
 * upstream speaking Cohere's, Jina's and Voyage's rerank APIs: one Cohere-shaped answer whichever
 * provider serves, the provider's own body and URL upstream, and the cost in the log row (search
 * units for Cohere, tokens for Jina and Voyage).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RerankApiTest extends GatewayOnMock {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY =
      """
      {"model":"%s","query":"capital of France?","documents":["Berlin is in Germany.",
      {"text":"Madrid is in Spain."},"Paris is the capital of France."],"top_n":2,
      "return_documents":true}
      """;

  private String key;

  @Override
  protected String database() {
    return "postgresql";
  }

  @Override
  protected String yaml() {
    String base = mock.baseUrl();
    return Yaml.withMock(mock, db.url(), serverSettings())
            .replace(
                "providers:\n",
                """
        providers:
          - { name: cohere, type: cohere, baseUrl: "%1$s", apiKey: co-secret-0123456789 }
          - { name: jina, type: jina, baseUrl: "%1$s", apiKey: jina-secret-0123456789 }
          - { name: voyage, type: voyage, baseUrl: "%1$s", apiKey: voyage-secret-0123456789 }
        """
                    .formatted(base))
        + Yaml.alias("cohere-rerank", "cohere", "rerank-v3.5")
        + Yaml.alias("jina-rerank", "jina", "jina-reranker-v2-base-multilingual")
        + Yaml.alias("voyage-rerank", "voyage", "rerank-2.5")
        + Yaml.alias("chat-only", "mock", "gpt-4o");
  }

  /** Cohere's and Voyage's models are priced by the shipped seed; Jina's has no list price. */
  @Override
  protected void started() throws Exception {
    price(
        "jina",
        "jina-reranker-v2-base-multilingual",
        "\"inputPerMillion\":0.02,\"outputPerMillion\":0");
    key = gateway.newKey();
  }

  private void price(String provider, String model, String rates) throws Exception {
    var response =
        gateway.admin(
            "POST",
            "/api/admin/model-costs",
            "{\"provider\":\"" + provider + "\",\"model\":\"" + model + "\"," + rates + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  @Test
  void cohereIsCalledAtV2RerankAndChargedPerSearchUnit() throws Exception {
    HttpResponse<String> response = rerank("cohere-rerank");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertRanked(answer);
    assertThat(answer.path("id").asText()).isEqualTo("rerank-mock");
    assertThat(answer.path("meta").path("billed_units").path("search_units").asLong()).isEqualTo(1);

    MockUpstream.Received upstream = mock.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v2/rerank");
    assertThat(upstream.headers()).containsEntry("authorization", "Bearer co-secret-0123456789");
    assertThat(upstream.body().path("model").asText()).isEqualTo("rerank-v3.5");
    assertThat(upstream.body().path("documents").get(1).asText()).isEqualTo("Madrid is in Spain.");
    assertThat(upstream.body().path("top_n").asInt()).isEqualTo(2);

    Map<String, Object> row = row(response);
    assertThat(row.get("endpoint")).as(row.toString()).isEqualTo("rerank");
    assertThat(row.get("unit_kind")).as(row.toString()).isNotNull();
    assertThat(row.get("unit_kind")).isEqualTo("search_units");
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(1.0);
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(2_000_000L);
  }

  @Test
  void jinaIsTranslatedAndChargedPerToken() throws Exception {
    HttpResponse<String> response = rerank("jina-rerank");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertRanked(JSON.readTree(response.body()));
    MockUpstream.Received upstream = mock.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v1/rerank");
    assertThat(upstream.body().path("model").asText())
        .isEqualTo("jina-reranker-v2-base-multilingual");
    assertThat(upstream.body().path("return_documents").asBoolean(true)).isFalse();
    Map<String, Object> row = row(response);
    assertThat(row.get("unit_kind")).isNull();
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(120);
    // 120 tokens at $0.02 per million.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(2_400L);
  }

  @Test
  void voyageGetsTopKAndAnswersInTheSameShape() throws Exception {
    HttpResponse<String> response = rerank("voyage-rerank");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertRanked(JSON.readTree(response.body()));
    MockUpstream.Received upstream = mock.lastReceived();
    assertThat(upstream.path()).isEqualTo("/v1/rerank");
    assertThat(upstream.body().path("top_k").asInt()).isEqualTo(2);
    assertThat(upstream.body().has("top_n")).isFalse();
    assertThat(upstream.headers())
        .containsEntry("authorization", "Bearer voyage-secret-0123456789");
    Map<String, Object> row = row(response);
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(120);
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(6_000L);
  }

  @Test
  void aProviderWithoutRerankAnswers400() throws Exception {
    HttpResponse<String> response = rerank("chat-only");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
        .contains("'mock'")
        .contains("rerank");
  }

  @Test
  void aBodyWithoutDocumentsAnswers400NamingTheField() throws Exception {
    HttpResponse<String> response =
        gateway.client("POST", "/v1/rerank", key, "{\"model\":\"cohere-rerank\",\"query\":\"q\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("error").path("param").asText())
        .isEqualTo("documents");
  }

  /** The mock ranks the documents in reverse order: Paris (2), then Madrid (1). */
  private static void assertRanked(JsonNode answer) {
    JsonNode results = answer.path("results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).path("index").asInt()).isEqualTo(2);
    assertThat(results.get(0).path("relevance_score").asDouble()).isEqualTo(0.9);
    assertThat(results.get(0).path("document").path("text").asText())
        .isEqualTo("Paris is the capital of France.");
    assertThat(results.get(1).path("index").asInt()).isEqualTo(1);
    assertThat(results.get(1).path("document").path("text").asText())
        .isEqualTo("Madrid is in Spain.");
  }

  private HttpResponse<String> rerank(String model) throws Exception {
    return gateway.client("POST", "/v1/rerank", key, BODY.formatted(model));
  }

  private Map<String, Object> row(HttpResponse<String> response) throws Exception {
    return RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
  }
}
