package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.store.StoredResponse;
import io.vertx.core.buffer.Buffer;

/**
 * One {@code /v1/responses} call's conversation: the request, the stored response it continues (if
 * any), the whole conversation to send (earlier turns, then this turn's input), and how its answer
 * is stored for the next turn. Built once per call on its event loop; read by every attempt.
 */
final class ResponsesTurn {
  private final ResponsesRequest request;
  private final StoredResponse previous;
  private final ArrayNode conversation;
  private final String keyId;
  private final ResponsesStore store;
  private final ResponseMeta meta;

  /**
   * @param previous the stored response this call continues; null for none
   * @param keyId the caller's key; null stores nothing
   */
  ResponsesTurn(
      ResponsesRequest request,
      StoredResponse previous,
      String keyId,
      ResponsesStore store,
      ResponseMeta meta) {
    this.request = request;
    this.previous = previous;
    this.keyId = keyId;
    this.store = store;
    this.meta = meta;
    this.conversation = Json.MAPPER.createArrayNode();
    if (previous != null) {
      try {
        conversation.addAll((ArrayNode) Json.MAPPER.readTree(previous.items()));
      } catch (Exception e) {
        throw new IllegalStateException("stored response " + previous.id() + " is unreadable", e);
      }
    }
    conversation.addAll(request.input());
  }

  ResponsesRequest request() {
    return request;
  }

  ResponseMeta meta() {
    return meta;
  }

  ArrayNode conversation() {
    return conversation;
  }

  /**
   * The body for a pass-through to {@code provider} with model {@code upstreamModel}, or null when
   * the caller's body goes as it is (with the model rewritten): it continues nothing, or continues
   * a response that provider itself holds.
   */
  Buffer passthroughBody(String provider, String upstreamModel) {
    if (previous == null || previous.passthrough() && previous.provider().equals(provider)) {
      return null;
    }
    ArrayNode items = Json.MAPPER.createArrayNode();
    for (JsonNode item : conversation) {
      // Reasoning items are tied to the account and model that made them.
      if (!"reasoning".equals(item.path("type").asText())) {
        items.add(item);
      }
    }
    return request.expanded(items, upstreamModel);
  }

  /** Stores a translated answer (unless {@code store: false}). */
  void storeTranslated(ObjectNode response) {
    store(response, "", false);
  }

  /** Stores the record of an answer {@code provider} gave, and holds, in its own Responses API. */
  void storePassthrough(ObjectNode response, String provider) {
    store(response, provider, true);
  }

  private void store(ObjectNode response, String provider, boolean passthrough) {
    if (!request.store() || keyId == null || !response.path("id").isTextual()) {
      return;
    }
    ArrayNode items = conversation.deepCopy();
    for (JsonNode item : response.path("output")) {
      ObjectNode copy = ((ObjectNode) item).deepCopy();
      copy.remove("id");
      copy.remove("status");
      items.add(copy);
    }
    store.save(
        response.get("id").asText(),
        keyId,
        provider,
        passthrough,
        items.toString(),
        response.toString());
  }
}
