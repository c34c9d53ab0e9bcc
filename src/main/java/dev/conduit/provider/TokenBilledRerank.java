package dev.conduit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * The wire form the token-billed rerankers share (Jina, Voyage): {@code POST <base>/rerank} with
 * {@code model}, {@code query}, {@code documents}, a result count and {@code return_documents}; the
 * answer lists {@code index} and {@code relevance_score} and bills {@code usage.total_tokens}. They
 * differ only in the names of the count and of the list.
 */
public final class TokenBilledRerank {
  private TokenBilledRerank() {}

  public static String url(String baseUrl) {
    return (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + "rerank";
  }

  /**
   * @param countField the provider's name for how many results to return
   */
  public static Buffer request(RerankRequest request, String model, String countField) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
    body.put("query", request.query());
    request.documents().forEach(body.putArray("documents")::add);
    if (request.topN() != null) {
      body.put(countField, request.topN());
    }
    // The gateway adds the documents itself; no need to have them sent back.
    body.put("return_documents", false);
    return Buffer.buffer(body.toString());
  }

  /**
   * @param resultsField the provider's name for the ranked list
   */
  public static RerankResponse response(Buffer body, String resultsField) {
    JsonNode root = UpstreamJson.readObject(body);
    return new RerankResponse(
        null,
        RerankResults.read(root.path(resultsField)),
        null,
        Usage.of(root.path("usage").path("total_tokens").asLong(0), 0));
  }
}
