package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.api.JsonBodies;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import io.vertx.core.buffer.Buffer;

/**
 * A {@code POST /v1/responses} body as a tree, with the parts the gateway acts on read out: this
 * turn's {@code input} as items (a string input is one user message), {@code previous_response_id}
 * and {@code store}. Immutable once built.
 *
 * @param root the caller's body
 * @param input this turn's input items
 * @param previousResponseId the response this one continues; null for none
 * @param store whether the answer is kept for continuation and retrieval ({@code store}, default
 *     true)
 */
public record ResponsesRequest(
    ObjectNode root, ArrayNode input, String previousResponseId, boolean store) {

  /**
   * @throws GatewayException (400) when the body is not a JSON object or {@code input} is neither a
   *     string nor an array
   */
  public static ResponsesRequest parse(byte[] body) {
    JsonNode root = JsonBodies.object(body);
    JsonNode input = root.get("input");
    ArrayNode items = Json.MAPPER.createArrayNode();
    if (input != null && input.isTextual()) {
      items.addObject().put("type", "message").put("role", "user").put("content", input.asText());
    } else if (input != null && input.isArray()) {
      items.addAll((ArrayNode) input);
    } else if (input != null && !input.isNull()) {
      throw GatewayException.badRequest(
          "Invalid type for 'input': expected a string or an array of items.", "input");
    }
    JsonNode previous = root.get("previous_response_id");
    if (previous != null && !previous.isNull() && !previous.isTextual()) {
      throw GatewayException.badRequest(
          "Invalid type for 'previous_response_id': expected a string.", "previous_response_id");
    }
    return new ResponsesRequest(
        (ObjectNode) root,
        items,
        previous == null || previous.isNull() ? null : previous.asText(),
        root.path("store").asBoolean(true));
  }

  /**
   * The body for an upstream that does not hold the earlier turns: the whole conversation as {@code
   * input}, without {@code previous_response_id}, for model {@code upstreamModel}.
   */
  public Buffer expanded(ArrayNode conversation, String upstreamModel) {
    ObjectNode copy = root.deepCopy();
    copy.remove("previous_response_id");
    copy.put("model", upstreamModel);
    copy.set("input", conversation);
    return Buffer.buffer(copy.toString());
  }
}
