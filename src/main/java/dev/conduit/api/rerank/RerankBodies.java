package dev.conduit.api.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.api.JsonBodies;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's {@code /v1/rerank} bodies, in Cohere's shape
 * (https://docs.cohere.com/reference/rerank): {@code {model, query, documents, top_n,
 * return_documents, max_tokens_per_doc}} in, where a document is a string or, as in Cohere's v1, an
 * object with {@code text}; {@code {id, results: [{index, relevance_score, document?}], meta:
 * {billed_units}}} out.
 */
public final class RerankBodies {
  private RerankBodies() {}

  /** The request as decoded, with what the caller asked of the answer. */
  public record Decoded(String model, RerankRequest request, boolean returnDocuments) {}

  /**
   * @throws GatewayException (400) for a body that is not a rerank request
   */
  public static Decoded decode(byte[] body) {
    JsonNode root = JsonBodies.object(body);
    String model = text(root, "model");
    String query = text(root, "query");
    JsonNode documents = root.path("documents");
    if (!documents.isArray() || documents.isEmpty()) {
      throw GatewayException.badRequest(
          "'documents' must be a non-empty array of strings or of objects with 'text'.",
          "documents");
    }
    List<String> texts = new ArrayList<>(documents.size());
    for (JsonNode document : documents) {
      if (document.isTextual()) {
        texts.add(document.asText());
      } else if (document.isObject() && document.path("text").isTextual()) {
        texts.add(document.path("text").asText());
      } else {
        throw GatewayException.badRequest(
            "Each document must be a string or an object with a 'text' string.", "documents");
      }
    }
    Integer topN = positive(root, "top_n");
    Integer maxTokens = positive(root, "max_tokens_per_doc");
    JsonNode returnDocuments = root.path("return_documents");
    if (!returnDocuments.isMissingNode()
        && !returnDocuments.isNull()
        && !returnDocuments.isBoolean()) {
      throw GatewayException.badRequest(
          "'return_documents' must be a boolean.", "return_documents");
    }
    return new Decoded(
        model, new RerankRequest(query, texts, topN, maxTokens), returnDocuments.asBoolean(false));
  }

  /**
   * The caller's answer: results capped at {@code top_n} (not every provider caps them), each with
   * its document's text when asked for (taken from the request: not every provider returns it).
   */
  public static Buffer encode(RerankResponse response, Decoded decoded, String fallbackId) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("id", response.id() != null ? response.id() : fallbackId);
    ArrayNode results = body.putArray("results");
    int limit = decoded.request().topN() == null ? Integer.MAX_VALUE : decoded.request().topN();
    List<String> documents = decoded.request().documents();
    for (RerankResponse.Result result : response.results()) {
      if (results.size() >= limit) {
        break;
      }
      ObjectNode item = results.addObject();
      item.put("index", result.index());
      item.put("relevance_score", result.relevanceScore());
      if (decoded.returnDocuments() && result.index() >= 0 && result.index() < documents.size()) {
        item.putObject("document").put("text", documents.get(result.index()));
      }
    }
    ObjectNode billed = body.putObject("meta").putObject("billed_units");
    if (response.searchUnits() != null) {
      billed.put("search_units", response.searchUnits());
    }
    if (response.usage().isKnown()) {
      billed.put("input_tokens", response.usage().inputTokens());
    }
    return Buffer.buffer(body.toString());
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = root.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw GatewayException.badRequest(
          "Missing required parameter: '" + field + "' (a non-empty string).", field);
    }
    return value.asText();
  }

  private static Integer positive(JsonNode root, String field) {
    JsonNode value = root.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
      throw GatewayException.badRequest("'" + field + "' must be a positive whole number.", field);
    }
    return value.asInt();
  }
}
