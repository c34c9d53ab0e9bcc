package dev.conduit.provider.voyage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.core.RerankRequest;
import dev.conduit.core.RerankResponse;
import dev.conduit.core.Usage;
import dev.conduit.provider.RerankConverter;
import dev.conduit.provider.RerankResults;
import dev.conduit.provider.UpstreamJson;
import io.vertx.core.buffer.Buffer;

/**
 * Voyage AI's reranker (https://docs.voyageai.com/reference/reranker-api, {@code POST
 * https://api.voyageai.com/v1/rerank}): {@code query}, {@code documents}, {@code model}, {@code
 * top_k} (Cohere's {@code top_n}), {@code return_documents}; the answer's {@code data} are {@code
 * index} and {@code relevance_score}, billed in {@code usage.total_tokens}.
 */
public final class VoyageRerankConverter implements RerankConverter {
  public static final VoyageRerankConverter INSTANCE = new VoyageRerankConverter();

  private VoyageRerankConverter() {}

  @Override
  public String url(String baseUrl) {
    return (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + "rerank";
  }

  @Override
  public Buffer toUpstream(RerankRequest request, String model) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("query", request.query());
    request.documents().forEach(body.putArray("documents")::add);
    body.put("model", model);
    if (request.topN() != null) {
      body.put("top_k", request.topN());
    }
    body.put("return_documents", false);
    return Buffer.buffer(body.toString());
  }

  @Override
  public RerankResponse fromUpstream(Buffer body) {
    JsonNode root = UpstreamJson.readObject(body);
    return new RerankResponse(
        null,
        RerankResults.read(root.path("data")),
        null,
        Usage.of(root.path("usage").path("total_tokens").asLong(0), 0));
  }
}
