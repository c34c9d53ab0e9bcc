package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client parameters Conduit reads or that decide cost are checked by type and range as the
 * OpenAI and Anthropic APIs check them, before admission reserves a budget: a bad one answers 400
 * in the caller's dialect naming the parameter, and values at the edges still pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientParameterValidationTest extends GatewayOnMock {
  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "/v1/messages";
  private static final String USER = "[{\"role\":\"user\",\"content\":\"hi\"}]";
  private String key;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
  }

  private static String chat(String fields) {
    return "{\"model\":\"gpt-4o\",\"messages\":"
        + USER
        + (fields.isEmpty() ? "" : ",")
        + fields
        + "}";
  }

  private static String messages(String fields) {
    return "{\"model\":\"gpt-4o\",\"max_tokens\":16,\"messages\":"
        + USER
        + (fields.isEmpty() ? "" : ",")
        + fields
        + "}";
  }

  static Stream<Arguments> badOpenAiBodies() {
    return Stream.of(
        Arguments.of(chat("\"max_tokens\":0"), "max_tokens"),
        Arguments.of(chat("\"max_tokens\":-1"), "max_tokens"),
        Arguments.of(chat("\"max_tokens\":-1e9"), "max_tokens"),
        Arguments.of(chat("\"max_tokens\":1.5"), "max_tokens"),
        Arguments.of(chat("\"max_tokens\":\"50\""), "max_tokens"),
        Arguments.of(chat("\"max_tokens\":99999999999999999999"), "max_tokens"),
        Arguments.of(chat("\"max_completion_tokens\":0"), "max_completion_tokens"),
        Arguments.of(chat("\"temperature\":\"hot\""), "temperature"),
        Arguments.of(chat("\"temperature\":-0.1"), "temperature"),
        Arguments.of(chat("\"temperature\":2.01"), "temperature"),
        Arguments.of(chat("\"temperature\":1e400"), "temperature"),
        Arguments.of(chat("\"top_p\":{}"), "top_p"),
        Arguments.of(chat("\"top_p\":1.5"), "top_p"),
        Arguments.of(chat("\"n\":-1"), "n"),
        Arguments.of(chat("\"n\":0"), "n"),
        Arguments.of(chat("\"n\":2.5"), "n"),
        Arguments.of(chat("\"presence_penalty\":3"), "presence_penalty"),
        Arguments.of(chat("\"frequency_penalty\":\"x\""), "frequency_penalty"),
        Arguments.of(chat("\"top_logprobs\":21"), "top_logprobs"),
        Arguments.of(chat("\"logprobs\":1"), "logprobs"),
        Arguments.of(chat("\"stop\":5"), "stop"),
        Arguments.of(chat("\"stop\":[1]"), "stop[0]"),
        Arguments.of(chat("\"stream\":\"yes\""), "stream"),
        Arguments.of(chat("\"user\":7"), "user"),
        Arguments.of(chat("\"seed\":1.5"), "seed"),
        Arguments.of(
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":42}]}",
            "messages[0].content"),
        Arguments.of(
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":{}}]}",
            "messages[0].content"),
        Arguments.of(
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[\"x\"]}]}",
            "messages[0].content[0]"),
        Arguments.of(
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":5,\"content\":\"b\"}]}",
            "messages[1].role"),
        Arguments.of("{\"model\":\"gpt-4o\",\"messages\":[\"hi\"]}", "messages[0]"),
        Arguments.of("{\"model\":\"gpt-4o\",\"messages\":\"hi\"}", "messages"),
        Arguments.of("{\"model\":7,\"messages\":" + USER + "}", "model"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("badOpenAiBodies")
  void aBadOpenAiParameterAnswers400NamingIt(String body, String param) throws Exception {
    HttpResponse<String> response = gateway.client("POST", CHAT, key, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = TestGateway.json(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo(param);
    assertThat(error.get("message").asText()).contains(param);
  }

  static Stream<Arguments> badAnthropicBodies() {
    String noMax = "{\"model\":\"gpt-4o\",\"messages\":" + USER;
    return Stream.of(
        Arguments.of(noMax + "}", "max_tokens"),
        Arguments.of(noMax + ",\"max_tokens\":null}", "max_tokens"),
        Arguments.of(noMax + ",\"max_tokens\":0}", "max_tokens"),
        Arguments.of(noMax + ",\"max_tokens\":-1e9}", "max_tokens"),
        Arguments.of(noMax + ",\"max_tokens\":\"16\"}", "max_tokens"),
        Arguments.of(messages("\"temperature\":1.5"), "temperature"),
        Arguments.of(messages("\"temperature\":\"hot\""), "temperature"),
        Arguments.of(messages("\"top_p\":{}"), "top_p"),
        Arguments.of(messages("\"top_k\":-1"), "top_k"),
        Arguments.of(messages("\"stream\":1"), "stream"),
        Arguments.of(messages("\"stop_sequences\":\"END\""), "stop_sequences"),
        Arguments.of(messages("\"system\":5"), "system"),
        Arguments.of("{\"model\":null,\"max_tokens\":16,\"messages\":" + USER + "}", "model"),
        Arguments.of(
            "{\"model\":\"gpt-4o\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                + "\"content\":42}]}",
            "messages.0.content"),
        Arguments.of(
            "{\"model\":\"gpt-4o\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                + "\"content\":null}]}",
            "messages.0.content"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("badAnthropicBodies")
  void aBadAnthropicParameterAnswers400InAnthropicsShape(String body, String param)
      throws Exception {
    HttpResponse<String> response = gateway.client("POST", MESSAGES, key, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode answer = TestGateway.json(response.body());
    assertThat(answer.get("type").asText()).isEqualTo("error");
    assertThat(answer.get("error").get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(answer.get("error").get("message").asText()).startsWith(param + ": ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\"max_tokens\":1",
        "\"max_tokens\":null",
        "\"max_completion_tokens\":2147483647",
        "\"temperature\":0",
        "\"temperature\":2",
        "\"temperature\":2.0",
        "\"temperature\":null",
        "\"top_p\":0",
        "\"top_p\":1",
        "\"n\":1",
        "\"stream\":false",
        "\"presence_penalty\":-2",
        "\"stop\":\"END\"",
        "\"stop\":[\"a\",\"b\"]",
        "\"stop\":null",
        "\"seed\":-5",
        "\"user\":\"u-1\"",
        "\"logprobs\":true,\"top_logprobs\":0"
      })
  void openAiValuesAtTheEdgesPass(String fields) throws Exception {
    HttpResponse<String> response = gateway.client("POST", CHAT, key, chat(fields));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "[{\"type\":\"text\",\"text\":\"hi\"}]}]}",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\","
            + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"ok\"}]}"
      })
  void openAiMessageShapesPass(String body) throws Exception {
    HttpResponse<String> response = gateway.client("POST", CHAT, key, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\"temperature\":0",
        "\"temperature\":1",
        "\"top_p\":1",
        "\"top_k\":0",
        "\"stream\":false",
        "\"system\":\"be brief\"",
        "\"system\":[{\"type\":\"text\",\"text\":\"be brief\"}]",
        "\"stop_sequences\":[\"END\"]"
      })
  void anthropicValuesAtTheEdgesPass(String fields) throws Exception {
    HttpResponse<String> response = gateway.client("POST", MESSAGES, key, messages(fields));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }
}
