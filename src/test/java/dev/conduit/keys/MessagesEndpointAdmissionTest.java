package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Anthropic's {@code /v1/messages} passes the same admission as the OpenAI endpoints: budgets are
 * charged and enforced, rate limits answer 429 with the same headers, and refusals come in
 * Anthropic's error shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesEndpointAdmissionTest extends GatewayOnMock {
  private static final String MESSAGE =
      "{\"model\":\"metered\",\"max_tokens\":3,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String extraYaml() {
    return Yaml.alias("metered", "metered-model");
  }

  @Override
  protected void started() throws Exception {
    gateway.price("mock", "metered-model", "0", "1000");
  }

  @Test
  void aBudgetIsChargedAndEnforcedOnMessagesToo() throws Exception {
    String key =
        gateway.createKey("{\"name\":\"anthropic-sdk\",\"maxBudget\":0.003}").get("key").asText();

    HttpResponse<String> answered = messages(key);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(answered.headers().firstValue("X-Conduit-Cost")).hasValue("0.003");

    HttpResponse<String> refused = messages(key);
    assertThat(refused.statusCode()).isEqualTo(402);
    JsonNode body = TestGateway.json(refused.body());
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo("billing_error");
    assertThat(body.at("/error/message").asText()).contains("budget of $0.003");
  }

  @Test
  void aRateLimitAnswers429WithItsHeadersOnMessages() throws Exception {
    String key = gateway.createKey("{\"name\":\"limited\",\"rpm\":1}").get("key").asText();
    assertThat(messages(key).statusCode()).isEqualTo(200);

    HttpResponse<String> limited = messages(key);

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(TestGateway.json(limited.body()).at("/error/type").asText())
        .isEqualTo("rate_limit_error");
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(limited.headers().firstValue("X-RateLimit-Limit-Requests")).hasValue("1");
  }

  private HttpResponse<String> messages(String key) throws Exception {
    return gateway.send(
        HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/messages")))
            .header("x-api-key", key)
            .header("anthropic-version", "2023-06-01"),
        "POST",
        MESSAGE);
  }
}
