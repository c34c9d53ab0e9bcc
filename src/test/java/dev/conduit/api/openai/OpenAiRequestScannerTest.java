package dev.conduit.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.GatewayException;
import dev.conduit.pipeline.InboundCall.StreamUsageOption;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiRequestScannerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static OpenAiRequestScan scan(String body) {
    return OpenAiRequestScanner.scan(body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode rewrite(String body, String model, boolean forceUsage) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String out =
        OpenAiRequestRewriter.rewrite(
                bytes,
                OpenAiRequestScanner.scan(bytes),
                model,
                forceUsage ? StreamUsageOption.FORCE : StreamUsageOption.AS_SENT)
            .toString();
    return JSON.readTree(out);
  }

  @Test
  void findsTheFieldsTheGatewayNeeds() {
    OpenAiRequestScan scan =
        scan(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"model\":\"gpt-4o\",\"stream\":true,\"max_tokens\":50}");

    assertThat(scan.model()).isEqualTo("gpt-4o");
    assertThat(scan.stream()).isTrue();
    assertThat(scan.includeUsage()).isFalse();
    assertThat(scan.maxTokens()).isEqualTo(50);
    assertThat(scan.topLevelFields()).contains("messages", "model", "stream", "max_tokens");
  }

  @Test
  void rewritesOnlyTheModelAndKeepsEveryOtherByte() throws Exception {
    String body =
        "{ \"model\" : \"alias\", \"messages\": [{\"role\":\"user\",\"content\":"
            + "\"caf\u00e9 \\\"model\\\": \\\"nope\\\"\"}], \"temperature\": 0.5 }";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

    String out =
        OpenAiRequestRewriter.rewrite(
                bytes,
                OpenAiRequestScanner.scan(bytes),
                "provider-model",
                StreamUsageOption.AS_SENT)
            .toString();

    assertThat(out).isEqualTo(body.replace("\"alias\"", "\"provider-model\""));
  }

  @Test
  void escapesTheNewModelName() throws Exception {
    assertThat(
            rewrite("{\"model\":\"a\",\"messages\":[]}", "we\"ird\\name", false)
                .path("model")
                .asText())
        .isEqualTo("we\"ird\\name");
  }

  @Test
  void asksForStreamUsageInEveryShapeOfStreamOptions() throws Exception {
    assertThat(
            rewrite("{\"model\":\"a\",\"stream\":true,\"messages\":[]}", "b", true)
                .path("stream_options")
                .path("include_usage")
                .asBoolean())
        .isTrue();
    assertThat(
            rewrite("{\"model\":\"a\",\"stream\":true,\"stream_options\":null}", "b", true)
                .path("stream_options")
                .path("include_usage")
                .asBoolean())
        .isTrue();
    assertThat(
            rewrite("{\"model\":\"a\",\"stream\":true,\"stream_options\":{}}", "b", true)
                .path("stream_options")
                .path("include_usage")
                .asBoolean())
        .isTrue();
    JsonNode kept =
        rewrite(
            "{\"model\":\"a\",\"stream\":true,\"stream_options\":"
                + "{\"include_obfuscation\":false}}",
            "b",
            true);
    assertThat(kept.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(kept.path("stream_options").path("include_obfuscation").asBoolean(true)).isFalse();
    JsonNode flipped =
        rewrite(
            "{\"model\":\"a\",\"stream\":true,\"stream_options\":" + "{\"include_usage\": false}}",
            "b",
            true);
    assertThat(flipped.path("stream_options").size()).isEqualTo(1);
    assertThat(flipped.path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void leavesStreamOptionsAloneWhenNotStreamingOrAlreadyAsked() throws Exception {
    assertThat(rewrite("{\"model\":\"a\",\"messages\":[]}", "b", true).has("stream_options"))
        .isFalse();
    String asked = "{\"model\":\"a\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    assertThat(rewrite(asked, "b", true).toString())
        .isEqualTo(JSON.readTree(asked.replace("\"a\"", "\"b\"")).toString());
  }

  @Test
  void rejectsWhatIsNotAUsableJsonObject() {
    assertThatThrownBy(() -> scan("{\"model\": \"a\", "))
        .isInstanceOf(GatewayException.class)
        .satisfies(
            e -> assertThat(((GatewayException) e).error().code()).isEqualTo("invalid_json"));
    assertThatThrownBy(() -> scan("[1,2]")).isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> scan("{\"model\":\"a\"} trailing"))
        .isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> scan("{\"messages\":[]}"))
        .satisfies(e -> assertThat(((GatewayException) e).error().param()).isEqualTo("model"));
    assertThatThrownBy(() -> scan("{\"model\":1}"))
        .satisfies(e -> assertThat(((GatewayException) e).error().param()).isEqualTo("model"));
    assertThatThrownBy(() -> scan("{\"model\":\"a\",\"stream\":\"yes\"}"))
        .satisfies(e -> assertThat(((GatewayException) e).error().param()).isEqualTo("stream"));
  }

  @Test
  void handlesLargeBodies() {
    String big = "x".repeat(5_000_000);
    OpenAiRequestScan scan =
        scan("{\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}],\"model\":\"m\"}");
    assertThat(scan.model()).isEqualTo("m");
  }
}
