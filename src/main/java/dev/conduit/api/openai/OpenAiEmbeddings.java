package dev.conduit.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.api.JsonBodies;
import dev.conduit.core.EmbeddingRequest;
import dev.conduit.core.EmbeddingResponse;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI embeddings bodies (https://platform.openai.com/docs/api-reference/embeddings) to and from
 * the canonical model, for providers that translate them. Token-array inputs have no text to hand
 * to another provider, so they are refused.
 */
public final class OpenAiEmbeddings {
  private static final ObjectMapper JSON = Json.MAPPER;

  private OpenAiEmbeddings() {}

  /** The request as decoded, with the answer format the caller asked for. */
  public record Decoded(EmbeddingRequest request, boolean base64) {}

  /**
   * @throws GatewayException (400) for a body that is not an embeddings request with text inputs
   */
  public static Decoded decode(byte[] body) {
    JsonNode root = JsonBodies.object(body);
    JsonNode input = root.path("input");
    List<String> inputs = new ArrayList<>();
    if (input.isTextual()) {
      inputs.add(input.asText());
    } else if (input.isArray() && !input.isEmpty()) {
      for (JsonNode item : input) {
        if (!item.isTextual()) {
          throw GatewayException.badRequest(
              "This model takes text inputs only: 'input' must be "
                  + "a string or an array of strings, not token arrays.",
              "input");
        }
        inputs.add(item.asText());
      }
    } else {
      throw GatewayException.badRequest(
          "'input' must be a non-empty string or array of strings.", "input");
    }
    JsonNode dimensions = root.path("dimensions");
    if (!dimensions.isMissingNode()
        && !dimensions.isNull()
        && (!dimensions.canConvertToInt() || dimensions.asInt() < 1)) {
      throw GatewayException.badRequest(
          "'dimensions' must be a positive whole number.", "dimensions");
    }
    String format = root.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      throw GatewayException.badRequest(
          "'encoding_format' must be 'float' or 'base64'.", "encoding_format");
    }
    return new Decoded(
        new EmbeddingRequest(
            inputs,
            dimensions.isNumber() ? dimensions.asInt() : null,
            root.path("user").isTextual() ? root.path("user").asText() : null),
        format.equals("base64"));
  }

  /**
   * The OpenAI {@code list} body of an answer.
   *
   * @param base64 whether vectors go out as base64 little-endian float32, as OpenAI's {@code
   *     encoding_format: base64} does
   */
  public static Buffer encode(EmbeddingResponse response, String model, boolean base64) {
    ObjectNode body = JSON.createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    for (int i = 0; i < response.vectors().size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      double[] vector = response.vectors().get(i);
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : vector) {
          bytes.putFloat((float) value);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (double value : vector) {
          values.add(value);
        }
      }
    }
    body.put("model", model);
    Usage usage = response.usage();
    body.putObject("usage")
        .put("prompt_tokens", usage.inputTokens())
        .put("total_tokens", usage.totalTokens());
    return Buffer.buffer(body.toString());
  }
}
