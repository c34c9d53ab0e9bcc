package dev.conduit.pipeline;

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
 * Issue 11 item 7: an upstream that ignores {@code max_tokens} cannot overshoot a budget. For a key
 * whose spend is limited, a stream is forwarded only up to the output tokens its reservation
 * covers, then ends as a model at its limit would ({@code finish_reason: length}, {@code
 * stop_reason: max_tokens}), and the key is charged for what was forwarded. The model costs $0.001
 * per output token; the mock streams 2,000 one-word chunks whatever the request asks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputLimitTest extends GatewayOnMock {
  private static final int STREAMED_WORDS = 2_000;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String extraYaml() {
    return Yaml.alias("chatty", "long-stream-" + STREAMED_WORDS);
  }

  @Override
  protected void started() throws Exception {
    gateway.price("mock", "long-stream-" + STREAMED_WORDS, "0", "1000");
  }

  @Test
  void anOpenAiStreamStopsAtTheReservedOutputAndIsChargedForWhatWasForwarded() throws Exception {
    JsonNode created = gateway.createKey("{\"name\":\"tiny\",\"maxBudget\":0.06}");
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            created.get("key").asText(),
            "{\"model\":\"chatty\",\"stream\":true,\"max_tokens\":50,"
                + "\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    String body = response.body();
    assertThat(words(body)).isBetween(1, 50);
    assertThat(body)
        .contains("\"finish_reason\":\"length\"")
        .doesNotContain("\"finish_reason\":\"stop\"")
        .endsWith("data: [DONE]\n\n");
    assertSpendAtMost(created.get("id").asText(), "0.05");
  }

  @Test
  void anAnthropicStreamStopsWithMaxTokens() throws Exception {
    JsonNode created = gateway.createKey("{\"name\":\"tiny-anthropic\",\"maxBudget\":0.06}");
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/messages",
            created.get("key").asText(),
            "{\"model\":\"chatty\",\"stream\":true,\"max_tokens\":50,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    String body = response.body();
    assertThat(words(body)).isBetween(1, 50);
    assertThat(body)
        .contains("\"stop_reason\":\"max_tokens\"")
        .contains("event: content_block_stop")
        .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    assertSpendAtMost(created.get("id").asText(), "0.05");
  }

  @Test
  void aKeyWithoutASpendLimitGetsTheWholeStream() throws Exception {
    String key = gateway.newKey();
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"chatty\",\"stream\":true,\"max_tokens\":50,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(words(response.body())).isEqualTo(STREAMED_WORDS);
    assertThat(response.body()).contains("\"finish_reason\":\"stop\"");
  }

  private static int words(String body) {
    return body.split(" word", -1).length - 1;
  }

  private void assertSpendAtMost(String keyId, String most) throws Exception {
    JsonNode view =
        Eventually.await(
            "the key's spend",
            () ->
                TestGateway.json(
                    gateway.admin("GET", "/api/admin/virtual-keys/" + keyId, null).body()),
            node -> node.get("spend").decimalValue().signum() > 0);
    assertThat(view.get("spend").decimalValue()).isLessThanOrEqualTo(new BigDecimal(most));
  }
}
