package dev.conduit.api.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Responses stream for a key whose spend is limited stops at the output its budget reserved, as
 * chat streams do ({@code pipeline/OutputLimit}), and ends with {@code response.incomplete} ({@code
 * max_output_tokens}). The upstream, an OpenAI-compatible provider reached through Chat
 * Completions, streams 2,000 one-word chunks whatever the request asks, at $0.001 per output token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponsesOutputLimitTest extends GatewayOnMock {
  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String yaml() {
    return Yaml.withMock(mock, db.url(), null)
            .replace(
                "models:\n",
                "  - name: compatible\n    type: groq\n    baseUrl: "
                    + mock.baseUrl()
                    + "\n    apiKey: sk-test-compatible-secret-0123456789\nmodels:\n")
        + "  - alias: chatty\n    deployments:\n"
        + "      - { provider: compatible, model: long-stream-2000 }\n";
  }

  @Override
  protected void started() throws Exception {
    gateway.price("compatible", "long-stream-2000", "0", "1000");
  }

  @Test
  void aResponsesStreamStopsAtTheReservedOutputWithResponseIncomplete() throws Exception {
    JsonNode created = gateway.createKey("{\"name\":\"tiny\",\"maxBudget\":0.06}");
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/responses",
            created.get("key").asText(),
            "{\"model\":\"chatty\",\"stream\":true,\"max_output_tokens\":50,\"input\":\"hi\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    String body = response.body();
    int deltas = body.split("event: response.output_text.delta", -1).length - 1;
    assertThat(deltas).isBetween(1, 50);
    assertThat(body)
        .contains("\"incomplete_details\":{\"reason\":\"max_output_tokens\"}")
        .doesNotContain("event: response.completed");
    assertThat(body.substring(body.lastIndexOf("event: ")))
        .startsWith("event: response.incomplete");
    JsonNode view =
        Eventually.await(
            "the key's spend",
            () ->
                TestGateway.json(
                    gateway
                        .admin("GET", "/api/admin/virtual-keys/" + created.get("id").asText(), null)
                        .body()),
            node -> node.get("spend").decimalValue().signum() > 0);
    assertThat(view.get("spend").decimalValue()).isLessThanOrEqualTo(new BigDecimal("0.05"));
  }
}
