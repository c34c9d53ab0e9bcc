package dev.conduit.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.api.openai.OpenAiEmbeddings;
import dev.conduit.core.EmbeddingRequest;
import dev.conduit.core.EmbeddingResponse;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Usage;
import dev.conduit.provider.InvalidUpstreamResponse;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenAI embeddings requests to Gemini's {@code batchEmbedContents} and Vertex AI's {@code
 * predict}, and their answers back, following the two embeddings API references.
 */
class GeminiEmbeddingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void batchEmbedContentsHasOneRequestPerInputNamingTheModel() throws Exception {
    EmbeddingRequest request =
        OpenAiEmbeddings.decode(
                bytes("{\"model\":\"embed\",\"input\":[\"first\",\"second\"],\"dimensions\":768}"))
            .request();

    JsonNode body =
        JSON.readTree(GeminiEmbeddings.toGeminiApi(request, "gemini-embedding-001").getBytes());

    assertThat(body)
        .isEqualTo(
            JSON.readTree(
                "{\"requests\":["
                    + "{\"model\":\"models/gemini-embedding-001\","
                    + "\"content\":{\"parts\":[{\"text\":\"first\"}]},\"outputDimensionality\":768},"
                    + "{\"model\":\"models/gemini-embedding-001\","
                    + "\"content\":{\"parts\":[{\"text\":\"second\"}]},\"outputDimensionality\":768}]}"));
  }

  @Test
  void vertexPredictHasOneInstancePerInput() throws Exception {
    EmbeddingRequest request = new EmbeddingRequest(List.of("What is life?"), 256, null);

    assertThat(JSON.readTree(GeminiEmbeddings.toVertex(request).getBytes()))
        .isEqualTo(
            JSON.readTree(
                "{\"instances\":[{\"content\":\"What is life?\"}],"
                    + "\"parameters\":{\"outputDimensionality\":256}}"));
  }

  @Test
  void answersAreReadInOrderWithVertexTokenCounts() {
    EmbeddingResponse gemini =
        GeminiEmbeddings.fromGeminiApi(
            Buffer.buffer("{\"embeddings\":[{\"values\":[0.5,-1]},{\"values\":[0.25,2]}]}"), 2);
    EmbeddingResponse vertex =
        GeminiEmbeddings.fromVertex(
            Buffer.buffer(
                "{\"predictions\":[{\"embeddings\":{\"statistics\":{\"truncated\":false,"
                    + "\"token_count\":4},\"values\":[0.1,0.2]}},{\"embeddings\":{\"statistics\":"
                    + "{\"truncated\":false,\"token_count\":3},\"values\":[0.3,0.4]}}],"
                    + "\"metadata\":{\"billableCharacterCount\":20}}"),
            2);

    assertThat(gemini.vectors()).containsExactly(new double[] {0.5, -1}, new double[] {0.25, 2});
    assertThat(gemini.usage()).isEqualTo(Usage.NONE);
    assertThat(vertex.vectors()).containsExactly(new double[] {0.1, 0.2}, new double[] {0.3, 0.4});
    assertThat(vertex.usage()).isEqualTo(Usage.of(7, 0));
  }

  @Test
  void malformedAnswersAreInvalid() {
    assertThatThrownBy(
            () ->
                GeminiEmbeddings.fromGeminiApi(
                    Buffer.buffer("{\"embeddings\":[{\"values\":[0.5]}]}"), 2))
        .isInstanceOf(InvalidUpstreamResponse.class)
        .hasMessageContaining("1 embeddings for 2");
    assertThatThrownBy(() -> GeminiEmbeddings.fromGeminiApi(Buffer.buffer("{\"embed"), 1))
        .isInstanceOf(InvalidUpstreamResponse.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(
            () ->
                GeminiEmbeddings.fromVertex(
                    Buffer.buffer("{\"predictions\":[{\"embeddings\":{\"values\":[\"x\"]}}]}"), 1))
        .isInstanceOf(InvalidUpstreamResponse.class)
        .hasMessageContaining("not a number");
  }

  @Test
  void tokenArraysCannotBeTranslated() {
    assertThatThrownBy(
            () -> OpenAiEmbeddings.decode(bytes("{\"model\":\"embed\",\"input\":[[1,2,3]]}")))
        .isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).error().param()).isEqualTo("input"));
    assertThatThrownBy(() -> OpenAiEmbeddings.decode(bytes("{\"model\":\"embed\",\"input\":[]}")))
        .isInstanceOf(GatewayException.class);
  }

  @Test
  void base64AnswersAreLittleEndianFloats() throws Exception {
    EmbeddingResponse response =
        new EmbeddingResponse(null, List.of(new double[] {1.5, -0.25}), Usage.of(3, 0));

    JsonNode body = JSON.readTree(OpenAiEmbeddings.encode(response, "embed", true).getBytes());

    ByteBuffer floats =
        ByteBuffer.wrap(
                Base64.getDecoder().decode(body.path("data").path(0).path("embedding").asText()))
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(floats.getFloat()).isEqualTo(1.5f);
    assertThat(floats.getFloat()).isEqualTo(-0.25f);
    assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(3);
    assertThat(body.path("model").asText()).isEqualTo("embed");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
